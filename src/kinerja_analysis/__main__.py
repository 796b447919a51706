"""``python -m kinerja_analysis`` runs the ``kinerja`` command."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
