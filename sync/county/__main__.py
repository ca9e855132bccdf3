"""``python -m sync.county`` and the frozen county server's entry point."""

import sys

from sync.county.cli import main

sys.exit(main())
