"""Where the app keeps its files: platformdirs' user data and log directories."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "jiujinan"


def data_dir() -> Path:
    """The user data directory (database, attachments, backups)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    """The user log directory."""
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """The user config directory (per-PC preferences such as text size)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def resources_dir() -> Path:
    """The bundled resources (fonts), beside the package in a checkout or installed copy."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "resources", here.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("resources folder not found")
