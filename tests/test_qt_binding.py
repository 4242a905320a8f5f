"""The Qt binding the app is installed with survives a working day of signals. PySide6
6.12.0 takes one reference off ``True`` on every ``emit()`` made from Python, and the
interpreter aborts (bool_dealloc) after a few hundred; pyproject.toml leaves it out."""

import subprocess
import sys

EMIT_MANY = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal

class Source(QObject):
    changed = Signal()
    said = Signal(str)

app = QCoreApplication([])
source = Source()
source.changed.connect(lambda: None)
source.said.connect(lambda text: None)
before = sys.getrefcount(True)
for _ in range(20_000):
    source.changed.emit()
    source.said.emit("已保存")
print(sys.getrefcount(True) - before)
"""


def test_signals_emitted_from_python_do_not_wear_the_interpreter_down() -> None:
    result = subprocess.run([sys.executable, "-c", EMIT_MANY], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-500:]
    assert abs(int(result.stdout.strip())) < 100  # no reference lost per emit
