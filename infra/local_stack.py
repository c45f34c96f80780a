"""Start the local stack (what `make run` runs): `python infra/local_stack.py [--port N]`.

The implementation lives in `factcheck.local.stack` so it is typed, tested and importable;
this script is the infra entry point with the same options as `factcheck stack`.
"""

from __future__ import annotations

import sys

from factcheck.cli import main

if __name__ == "__main__":
    sys.exit(main(["stack", *sys.argv[1:]]))
