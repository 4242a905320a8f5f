"""Logging to a file in the user log directory; unexpected errors land there with a traceback."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from jiujinan.files import open_private, private_dir


class _PrivateLog(logging.handlers.RotatingFileHandler):
    """A rotated log file only its owner reads (tracebacks can carry names and ID numbers)."""

    def _open(self):  # noqa: ANN202 - the stream logging expects
        return open_private(Path(self.baseFilename), "a", encoding=self.encoding, errors=self.errors)


def setup_logging(log_dir: Path) -> Path:
    """Log INFO and above to ``log_dir/jiujinan.log`` (rotated); returns the file's path."""
    private_dir(log_dir, owned=True)
    path = log_dir / "jiujinan.log"
    handler = _PrivateLog(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "jiujinan", False)]:
        root.removeHandler(old)
        old.close()
    handler.jiujinan = True  # type: ignore[attr-defined] - marks the handler this module owns
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path
