"""Serve: `python -m tidings` runs the command line, exactly as the `tidings` script does."""

from __future__ import annotations

from tidings.serve.cli import main

if __name__ == "__main__":
    main()
