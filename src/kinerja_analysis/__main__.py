"""``python -m kinerja_analysis`` runs the ``kinerja`` command."""

from kinerja_analysis.delivery.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
