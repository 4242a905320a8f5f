"""Start-up, each beside its reference: ``jiujinan --version`` beside ``python -c pass``;
``jiujinan case show`` (a read, signed in) beside the 0.4 s goal; the GUI to its first window
(the sign-in dialog, as soon as it shows, and once it has read the names to sign in with) and
to a usable main window beside a bare PySide6 window started the same way. ``case show`` is
also put beside what importing SQLAlchemy's ORM alone takes, the floor of any read. Each is
a fresh Python process, timed from launch until it has exited, or for a window until it was
shown and painted; the median of five.

With ``--before CHECKOUT`` (e.g. a worktree of main) the same commands also run on that
checkout's code, and the figures are printed side by side. (The app's sign-in dialog waits
for a person, so the main window is timed on a signed-in session built directly.)

    python benchmarks/startup.py --db FILE [--json FILE] [--before CHECKOUT]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.figures import emit  # noqa: E402

USER, PASSWORD = "基准", "startup-bench-2026"
RUNS = 5

BARE = """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1366, 768); w.show(); app.processEvents(); w.grab()
import time; print("SHOWN", time.monotonic(), flush=True)
"""
# The command line as the installed ``jiujinan`` script runs it, on the code under ``root``.
CLI = "import sys; sys.path.insert(0, {root!r}); from jiujinan.cli import main; raise SystemExit(main())"
# The installed command's GUI (``jiujinan --db FILE``) until its first window is shown and
# painted; then it is closed as the clerk's Esc would (the probe's way) and the app exits.
# The watch is put in when the app imports ui/probe.py, so nothing (Qt least of all: it
# slows every import after it) is imported before the app's own start.
FIRST_WINDOW = """
import importlib.abc, importlib.machinery, sys
sys.path.insert(0, {root!r})

def watch(app):
    import time
    from pathlib import Path
    from PySide6.QtCore import QEvent, QObject, QTimer
    from jiujinan.ui.probe import _report_and_close

    # The first paint of a window (ready: of the sign-in dialog with its names read; it shows
    # before the database has opened). A filter, not a timer: a timer polling from Python
    # would take the interpreter from the thread opening the database.
    class Look(QObject):
        seen = False

        def eventFilter(self, obj, event):
            if self.seen or event.type() != QEvent.Type.Paint or not obj.isWidgetType():
                return False
            window = obj.window()
            if window.isVisible() and not ({ready} and window.property("jiujinan_reading")):
                self.seen = True
                print("SHOWN", time.monotonic(), type(window).__name__, flush=True)
                QTimer.singleShot(0, lambda: _report_and_close(Path({report!r}), app))
            return False

    app.look = Look(app)
    app.installEventFilter(app.look)

class WatchFirstWindow(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != "jiujinan.ui.probe":
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        run = spec.loader.exec_module
        def exec_module(module):
            run(module)
            module.watch_first_window = watch
        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, WatchFirstWindow())
from jiujinan.cli import main
raise SystemExit(main(["--db", {db!r}]))
"""
MAIN_WINDOW = """
import sys
sys.path.insert(0, {root!r})
from pathlib import Path
from PySide6.QtWidgets import QApplication
from jiujinan.cases.clock import SystemClock
from jiujinan.services import societies
from jiujinan.services.context import open_context
from jiujinan.ui.fonts import apply_text_size, register_bundled_font
from jiujinan.ui.main_window import MainWindow
from jiujinan.ui.prefs import Preferences
from jiujinan.ui.session import UiSession
app = QApplication([])
register_bundled_font(); apply_text_size(app, 11)
ctx = open_context({db!r}, Path({db!r}).parent, SystemClock())
record = societies.list_societies(ctx)[0]
w = MainWindow(UiSession(ctx, Preferences(Path({db!r}).parent / "bench-prefs.ini"), record.id, {user!r}))
w.resize(1366, 768); w.show(); app.processEvents(); w.grab()
import time; print("SHOWN", time.monotonic(), flush=True)
"""


def timed_s(command: list[str], env: dict[str, str]) -> float:
    """Wall time of one fresh process, which must succeed: until it has exited, or for a
    window until the process says it was shown and painted (``SHOWN <time.monotonic()>``,
    a clock shared by all processes): what comes after (closing, ending the runner) is not
    what the person waits for."""
    t = time.monotonic()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    elapsed = time.monotonic() - t
    if done.returncode != 0:
        raise SystemExit(f"{command[:3]}… failed: {done.stderr[-2000:]}")
    shown = [line.split()[1] for line in done.stdout.splitlines() if line.startswith("SHOWN ")]
    return float(shown[0]) - t if shown else elapsed


def medians_s(commands: dict[str, list[str]], env: dict[str, str]) -> dict[str, float]:
    """The median of RUNS launches of each command, taken in turns (a busy machine slows
    all of them alike, not the one that happened to run during the busy minute)."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(RUNS):
        for name, command in commands.items():
            times[name].append(timed_s(command, env))
    return {name: statistics.median(found) for name, found in times.items()}


def prepared(db: str) -> str:
    """A signed-in user with a password on ``db``, and a case number to show."""
    from jiujinan.cases.clock import SystemClock
    from jiujinan.cases.listing import CaseListQuery
    from jiujinan.services import case_list, societies, users
    from jiujinan.services.context import open_context

    ctx = open_context(db, Path(db).parent, SystemClock())
    try:
        societies.add_user(ctx, USER)  # every role, no password yet (as users from before passwords)
        if not users.get_user(ctx, USER).has_password:
            users.set_first_password(ctx, USER, PASSWORD)
        society = societies.list_societies(ctx, USER)[0]
        return case_list.page(ctx, CaseListQuery(society_id=society.id), USER, limit=1)[0].case_no
    finally:
        ctx.close()


def commands(root: Path, db: str, case_no: str, home: str) -> dict[str, list[str]]:
    """The commands timed, on the code under ``root``."""
    cli = [sys.executable, "-c", CLI.format(root=str(root))]
    def first(ready: bool) -> list[str]:
        report = str(Path(home) / "first-window.json")
        return [sys.executable, "-c", FIRST_WINDOW.format(root=str(root), db=db, report=report, ready=ready)]

    return {
        "version": [*cli, "--version"],
        "case show": [*cli, "case", "show", case_no, "--db", db, "--user", USER],
        "first window": first(False),
        "sign-in ready": first(True),
        "main window": [sys.executable, "-c", MAIN_WINDOW.format(root=str(root), db=db, user=USER)],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--json", default="")
    parser.add_argument("--before", default="", help="a checkout of the code before (e.g. a worktree of main)")
    args = parser.parse_args()
    db = str(Path(args.db).resolve())
    case_no = prepared(db)
    with tempfile.TemporaryDirectory(prefix="jiujinan-startup-") as home:
        env = {"QT_QPA_PLATFORM": "offscreen", "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home,
               "XDG_DATA_HOME": f"{home}/data", "XDG_CONFIG_HOME": f"{home}/config",
               "XDG_STATE_HOME": f"{home}/state", "XDG_CACHE_HOME": f"{home}/cache",
               "JIUJINAN_PASSWORD": PASSWORD}
        timed = {"python": [sys.executable, "-c", "pass"], "bare": [sys.executable, "-c", BARE],
                 "orm": [sys.executable, "-c", "import sqlalchemy.orm"],
                 **commands(ROOT, db, case_no, home)}
        if args.before:
            timed |= {f"before {name}": command
                      for name, command in commands(Path(args.before).resolve(), db, case_no, home).items()}
        found = medians_s(timed, env)
    python, bare, orm = found["python"], found["bare"], found["orm"]
    now = {name: found[name] for name in commands(ROOT, db, case_no, "")}
    before = {name[len("before "):]: value for name, value in found.items() if name.startswith("before ")}
    rows = [
        ("jiujinan --version", "version", f"python -c pass {python:.3f} s", "≤ 3× python -c pass", 3 * python),
        ("jiujinan case show (signed in)", "case show",
         f"python -c pass {python:.3f} s, python -c 'import sqlalchemy.orm' {orm:.3f} s", "≤ 0.4 s", 0.4),
        ("GUI cold start to its first window (sign-in)", "first window", f"bare PySide6 window {bare:.3f} s",
         "≤ 4× bare window", 4 * bare),
        ("cold start to a sign-in dialog with its names read", "sign-in ready", f"bare PySide6 window {bare:.3f} s",
         "≤ 4× bare window", 4 * bare),
        ("cold start to usable main window", "main window", f"bare PySide6 window {bare:.3f} s",
         "≤ 4× bare window", 4 * bare),
    ]
    for figure, key, reference, goal, limit in rows:
        was = f" (before: {before[key]:.3f} s)" if key in before else ""
        ok = now[key] <= limit
        print(f"{figure}: {now[key]:.3f} s{was}; {reference}; goal {goal} — {'met' if ok else 'not met'}")
        emit(args.json, figure, f"{now[key]:.2f} s" + (f" (before {before[key]:.2f} s)" if key in before else ""),
             reference, goal, ok)


if __name__ == "__main__":
    main()
