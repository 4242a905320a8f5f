"""Looking at the started app without a person at the screen: with ``JIUJINAN_PROBE=FILE``
the app writes, as soon as its first window or dialog is up, what a clerk would see (each
visible window's kind, title and message) to FILE as JSON, then closes it as Esc would.

The tests and ``.ci/run`` start the installed ``jiujinan`` command this way, offscreen or on
a real X server, so a broken entry point, an error box before the first window or a missing
system library is seen where a user would see it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from jiujinan.files import write_private

PROBE_VARIABLE = "JIUJINAN_PROBE"
SETTLE_MS = 500  # a window just shown is looked at once its first paint is done
# A window that shows before what it shows is read (the sign-in dialog, while the database
# opens behind it) carries this property until it is ready: the probe waits for that.
READING = "jiujinan_reading"


def mark_reading(window: QWidget, reading: bool) -> None:
    """Say that ``window`` is still reading what it will show (or no longer)."""
    window.setProperty(READING, reading)


def watch_first_window(app: QApplication) -> None:
    """When the probe variable names a file, report the first window shown (and close it)."""
    target = os.environ.get(PROBE_VARIABLE)
    if not target:
        return
    timer = QTimer(app)
    timer.setInterval(100)

    def look() -> None:
        windows = _visible_windows()
        if not windows or any(w.property(READING) for w in windows):
            return
        timer.stop()
        QTimer.singleShot(SETTLE_MS, lambda: _report_and_close(Path(target), app))

    timer.timeout.connect(look)
    timer.start()


def _visible_windows() -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.isWindow()]


def _describe(widget: QWidget) -> dict[str, str]:
    text = widget.text() if isinstance(widget, QMessageBox) else ""
    return {"kind": type(widget).__name__, "title": widget.windowTitle(), "text": text}


def _report_and_close(target: Path, app: QApplication) -> None:
    windows = _visible_windows()
    report = {"platform": app.platformName(), "windows": [_describe(w) for w in windows]}
    write_private(target, json.dumps(report, ensure_ascii=False, indent=1))
    for widget in windows:  # as the clerk's Esc: a dialog is cancelled, the main window closed
        if isinstance(widget, QDialog):
            widget.reject()
        else:
            widget.close()
    app.quit()
