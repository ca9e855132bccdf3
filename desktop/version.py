"""The program's version, read from the installed package's metadata (bundled too)."""

from importlib import metadata


def program_version() -> str:
    """``0.1.0`` as in pyproject.toml, or ``未知版本`` when run from an uninstalled tree."""
    try:
        return metadata.version("jobstation")
    except metadata.PackageNotFoundError:
        return "未知版本"
