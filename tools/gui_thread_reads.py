"""A diagnostic, not a test: which database statements the GUI runs on its own thread.

Run the UI tests with it loaded; it lists each place in ``jiujinan/ui`` (the innermost three
frames) that ran SQL on the main thread outside an operation of the runner (ui/ops.py):

    PYTHONPATH=tools python -m pytest -p gui_thread_reads -p no:randomly tests/ui
    cat gui-thread-reads.txt

Tests that build a screen's parts by hand (a step dialog without its reads, a case model
without a runner, a sign-in faked by the test) show up too; the places the app itself reaches
should not. (Found the sign-in, 测试连接, the area picker, the case list's further pages, the
restore's after-reads and opening an attachment, all moved onto the runner.)
"""

from __future__ import annotations

import collections
import os
import threading
import traceback

from sqlalchemy import event
from sqlalchemy.engine import Engine

from jiujinan.ui import ops

_state = threading.local()
_sites: collections.Counter[str] = collections.Counter()
_run = ops._Task.run  # noqa: SLF001


def _counted_run(self: ops._Task) -> None:  # noqa: SLF001
    """An operation's work, marked as such (the UI tests run it in place, on the main thread)."""
    depth = getattr(_state, "depth", 0)
    _state.depth = depth + 1
    try:
        _run(self)
    finally:
        _state.depth = depth


ops._Task.run = _counted_run  # noqa: SLF001


@event.listens_for(Engine, "before_cursor_execute")
def _look(conn, cursor, statement, params, context, executemany) -> None:  # noqa: ANN001, ARG001
    if threading.current_thread() is not threading.main_thread() or getattr(_state, "depth", 0):
        return
    ui = [f for f in traceback.extract_stack() if "/jiujinan/ui/" in f.filename and "/ops.py" not in f.filename]
    if ui:
        _sites[" <- ".join(f"{os.path.basename(f.filename)}:{f.lineno}:{f.name}" for f in reversed(ui[-3:]))] += 1


def pytest_sessionfinish(session) -> None:  # noqa: ANN001, ARG001
    with open("gui-thread-reads.txt", "w", encoding="utf-8") as out:
        for site, n in _sites.most_common():
            out.write(f"{n:6d} {site}\n")
