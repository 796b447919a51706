"""The kernel that runs a report notebook, with its own stdout and stderr kept in a log file.

A notebook's output (prints, warnings, tracebacks) travels to papermill over IOPub and is not
affected. What the kernel process writes to its file descriptors 1 and 2 directly would otherwise
reach the terminal of whoever runs ``kinerja report``: C libraries' messages and, in ipykernel 7.4,
a tornado traceback ("ZMQError: Socket operation on non-socket") when a shutdown races the flush of
the kernel's stderr. That traceback is ipykernel's, harmless, and says nothing about the report, so
it goes to the log; when a kernel dies, the log's last lines are what the report error shows.
"""

from __future__ import annotations

import typing as t
from pathlib import Path

from jupyter_client import AsyncKernelManager
from traitlets import Unicode

__all__ = ["LoggedKernelManager", "log_tail"]


class LoggedKernelManager(AsyncKernelManager):
    """``AsyncKernelManager`` whose kernel writes its own stdout and stderr to ``log_path`` (appended)."""

    log_path = Unicode(help="File that receives the kernel process's own stdout and stderr.").tag(config=True)

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: t.Any) -> None:
        if not self.log_path:
            raise ValueError("LoggedKernelManager needs log_path.")
        # Popen duplicates the descriptor, so the file can be closed here once the kernel has started.
        with open(self.log_path, "ab") as log:
            kw.setdefault("stdout", log)
            kw.setdefault("stderr", log)
            await super()._async_launch_kernel(kernel_cmd, **kw)


def log_tail(path: Path, lines: int = 3) -> str:
    """The last ``lines`` non-blank lines of a kernel log, joined by " | " ("" if there is none)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""
    kept = [line.strip() for line in text.splitlines() if line.strip()]
    return " | ".join(kept[-lines:])
