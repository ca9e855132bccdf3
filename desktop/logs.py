"""Rotating log files in the user log folder (or beside a portable copy)."""

import logging
import logging.handlers
from pathlib import Path

from . import paths


def setup_logging(folder: Path | None = None) -> Path:
    """Log to ``jobstation.log`` (1 MB × 5 files); returns the file's path."""
    folder = folder or paths.log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "jobstation.log"
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    if not any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        root.addHandler(handler)
    return path
