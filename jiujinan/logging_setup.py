"""Logging to a file in the user log directory; unexpected errors land there with a traceback."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path


def setup_logging(log_dir: Path) -> Path:
    """Log INFO and above to ``log_dir/jiujinan.log`` (rotated); returns the file's path."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "jiujinan.log"
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3,
                                                   encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "jiujinan", False)]:
        root.removeHandler(old)
        old.close()
    handler.jiujinan = True  # type: ignore[attr-defined] - marks the handler this module owns
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path
