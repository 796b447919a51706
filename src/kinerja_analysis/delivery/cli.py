"""The ``kinerja`` command: demo-data, validate, report, lab, app.

Exit codes: 0 success; 1 the command ran but found a problem in the content (rows rejected by
``validate``, a notebook failing in ``report``); 2 the input could not be used at all (a missing or
unreadable file, a missing notebook), with a one-line message on stderr and no traceback.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from kinerja_analysis import paths
from kinerja_analysis.common.errors import KinerjaDataError, ReportError

__all__ = ["main", "build_parser"]

_PROG = "kinerja"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, one sub-command per task."""
    parser = argparse.ArgumentParser(
        prog=_PROG,
        description="Evaluate performance management of Indonesian civil servants (ASN): "
        "check your exports, build the reports, explore the notebooks.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo-data", help="write the synthetic Plaju dataset (CSV) to a folder")
    demo.add_argument("--out", type=Path, default=None, help="folder to write (default: data/demo)")
    demo.add_argument("--seed", type=int, default=None, help="random seed (default: the committed data's seed)")
    demo.set_defaults(handler=_demo_data)

    val = sub.add_parser("validate", help="check your own export (a folder or a single file) and summarise it")
    val.add_argument("path", type=Path, help="a folder of CSV/XLSX/Parquet files, or one file")
    val.add_argument(
        "--strict",
        action="store_true",
        help="check every table, then fail with the full summary if any row was rejected "
        "(a file lacking a required column stops at once)",
    )
    val.add_argument(
        "--rejected-out",
        type=Path,
        metavar="FILE.csv",
        help="save the rejected rows with reasons (cells that Excel would run as formulas start with ')",
    )
    val.add_argument(
        "--footers",
        choices=("reject", "skip", "keep"),
        default="reject",
        help="a total row after the data (JUMLAH, Total): list it as rejected (default), skip it with a "
        "warning, or keep it as data",
    )
    val.add_argument(
        "--duplicate-columns",
        choices=("error", "first"),
        default="error",
        help="two columns meaning one column (NIP twice): drop an identical copy and stop when they differ "
        "(default), or use the first and keep the other as text",
    )
    val.add_argument(
        "--day-first",
        choices=("yes", "no", "auto"),
        default="yes",
        help="how to read a date such as 03/05/2024 when its column does not settle it: day first "
        "(default, as Indonesian exports write), month first, or only from the column's own evidence "
        "(auto: with none, such dates are rejected); the choice per column is printed under notes",
    )
    val.set_defaults(handler=_validate)

    rep = sub.add_parser("report", help="run the notebooks on a dataset and write HTML reports")
    rep.add_argument("--data", type=Path, default=None, help="your dataset (default: the synthetic demo data)")
    rep.add_argument("--out", type=Path, default=None, help="folder for the HTML pages (default: reports)")
    rep.add_argument(
        "--notebooks",
        nargs="+",
        metavar="NB",
        help="notebooks to run, as paths or number prefixes such as 01 03 (default: all)",
    )
    rep.add_argument(
        "--tahun-laporan",
        type=int,
        default=None,
        metavar="YEAR",
        help="the report year, passed to every notebook as tahun_laporan (default: the notebooks' own, 2024)",
    )
    rep.add_argument("--no-progress", action="store_true", help="do not show a progress bar")
    rep.add_argument("--pdf", action="store_true", help="also print one report page to PDF with Chromium")
    rep.add_argument(
        "--pdf-notebook",
        default="00",
        metavar="NB",
        help="the notebook whose page --pdf prints, as a path or number prefix (default: 00, the summary)",
    )
    rep.set_defaults(handler=_report)

    for name, helptext, handler in (
        ("lab", "open JupyterLab on the notebooks", _lab),
        ("app", "open the what-if app (notebook 07) with Voila", _app),
    ):
        cmd = sub.add_parser(name, help=helptext)
        cmd.add_argument("--port", type=int, default=None, help="port to listen on")
        cmd.add_argument("--no-browser", action="store_true", help="do not open a browser")
        cmd.set_defaults(handler=handler)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``kinerja`` command with ``argv`` (default ``sys.argv[1:]``) and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        return 130


def _fail(command: str, message: object, code: int = 2) -> int:
    print(f"{_PROG} {command}: {message}", file=sys.stderr)
    return code


def _demo_data(args: argparse.Namespace) -> int:
    from kinerja_analysis.synthetic import DEFAULT_SEED, write_demo

    out = args.out if args.out is not None else paths.demo_data_dir()
    seed = DEFAULT_SEED if args.seed is None else args.seed
    try:
        write_demo(out, seed=seed)
    except (KinerjaDataError, OSError) as err:
        return _fail("demo-data", err)
    files = sorted(p.name for p in Path(out).iterdir() if p.is_file())
    print(f"Wrote the synthetic dataset (seed {seed}) to {out}: {', '.join(files)}")
    return 0


_DAY_FIRST = {"yes": True, "no": False, "auto": None}


def _validate(args: argparse.Namespace) -> int:
    from kinerja_analysis.data.io import load_dataset

    if not args.path.exists():
        return _fail("validate", f"{args.path} does not exist; give a folder of exports or one file.")
    try:
        dataset = load_dataset(
            args.path, strict=args.strict, footers=args.footers, duplicate_columns=args.duplicate_columns,
            day_first=_DAY_FIRST[args.day_first],
        )  # fmt: skip
    except KinerjaDataError as err:
        rejected = getattr(err, "rejected", None)
        if rejected is None or len(rejected) == 0:
            return _fail("validate", err)
        # --strict and rows were rejected: the message is the dataset's summary, printed as usual.
        print(err, end="" if str(err).endswith("\n") else "\n")
        _save_rejected(rejected, args.rejected_out)
        return _fail("validate", f"{len(rejected)} row(s) rejected (--strict).", code=1)
    except OSError as err:
        return _fail("validate", err)
    print(dataset.summary(), end="")
    print()
    print(dataset.header_summary(), end="")
    rejected = dataset.rejected
    _save_rejected(rejected, args.rejected_out)
    return 1 if len(rejected) > 0 else 0


def _save_rejected(rejected, out: Path | None) -> None:
    from kinerja_analysis.data.export import write_csv_for_excel

    if out is None:
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    write_csv_for_excel(rejected, out)  # a rejected cell such as =HYPERLINK(...) must not run in Excel
    print(f"Saved {len(rejected)} rejected row(s) to {out}", file=sys.stderr)


def _report(args: argparse.Namespace) -> int:
    from kinerja_analysis.delivery.reports import build_reports, narrative_notebooks, print_pdf

    notebooks = None
    if args.notebooks:
        notebooks = []
        for item in args.notebooks:
            found = _find_notebook(item, narrative_notebooks())
            if found is None:
                return _fail("report", f"no notebook {item!r}: give a path or a number such as 01.")
            notebooks.append(found)
    if args.data is not None and not args.data.exists():
        return _fail("report", f"{args.data} does not exist; give a folder of exports or one file.")
    pdf_source = None
    if args.pdf:
        pdf_source = _find_notebook(args.pdf_notebook, narrative_notebooks())
        if pdf_source is None:
            return _fail("report", f"no notebook {args.pdf_notebook!r} to print to PDF: give a path or a number.")
        if notebooks is not None and pdf_source.resolve() not in {p.resolve() for p in notebooks}:
            notebooks.append(pdf_source)
    out = args.out if args.out is not None else paths.reports_dir()
    try:
        # one report year for every notebook, so each "(buku NN)" pointer of the summary leads to the same number
        year = {} if args.tahun_laporan is None else {"tahun_laporan": args.tahun_laporan}
        pages = build_reports(
            data_dir=args.data, out_dir=out, notebooks=notebooks, progress=not args.no_progress, parameters=year
        )
        if pdf_source is not None:
            pdf = print_pdf(Path(out) / f"{pdf_source.stem}.html", Path(out) / f"{pdf_source.stem}.pdf")
            print(f"Printed {pdf}")
    except ReportError as err:
        return _fail("report", err, code=1)
    except (KinerjaDataError, OSError) as err:
        return _fail("report", err)
    print(f"Wrote {len(pages)} page(s) to {out}; open {Path(out) / 'index.html'}")
    return 0


def _find_notebook(item: str, known: Sequence[Path]) -> Path | None:
    path = Path(item)
    if path.is_file():
        return path
    matches = [p for p in known if p.name == item or p.stem == item or p.name.startswith(f"{item}_")]
    return matches[0] if len(matches) == 1 else None


def _server_options(args: argparse.Namespace) -> list[str]:
    options = []
    if args.port is not None:
        options.append(f"--port={args.port}")
    if args.no_browser:
        options.append("--no-browser")
    return options


def _lab(args: argparse.Namespace) -> int:
    folder = paths.notebooks_dir()
    if not folder.is_dir():
        return _fail("lab", f"no notebooks folder at {folder}; run from a checkout of the repository.")
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}", *_server_options(args)]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers and CI often run as root; JupyterLab refuses otherwise
    return subprocess.call(command, cwd=folder)


def _app(args: argparse.Namespace) -> int:
    candidates = sorted(paths.notebooks_dir().glob("07_*.ipynb"))
    if not candidates:
        return _fail(
            "app",
            f"the what-if app is notebook 07, and there is no notebooks/07_*.ipynb in {paths.notebooks_dir()} yet.",
        )
    notebook = candidates[0]
    command = [sys.executable, "-m", "voila", str(notebook), "--Voila.ip=127.0.0.1", *_server_options(args)]
    return subprocess.call(command, cwd=notebook.parent)
