"""Entry point of the frozen app: the same as ``aireview`` (and ``aireview --self-test``)."""

import sys

from desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
