"""``python -m desktop`` and the frozen bundle's entry point (absolute imports for both)."""

import sys

from desktop.cli import main

sys.exit(main())
