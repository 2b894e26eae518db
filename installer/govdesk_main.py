"""Entry point of the PyInstaller bundle: exactly what the ``govdesk`` console script runs
(no arguments → the GUI; ``--smoke-test`` → govdesk/smoke.py; subcommands → the CLI)."""

import sys

from govdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
