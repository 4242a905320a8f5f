"""Long work (a batch of forms, an export) on a worker thread behind a cancellable progress
dialog; the result or the error comes back on the main thread. No processEvents() loops."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

# The job is a plain function: job(progress(done, total), cancelled() -> bool) -> result
Job = Callable[[Callable[[int, int], None], Callable[[], bool]], object]


class Worker(QObject):
    """Runs a plain job on the thread it was moved to; the result or the error is sent back."""

    progressed = Signal(int, int)
    done = Signal(object)
    failed = Signal(object)

    def __init__(self, job: Job) -> None:
        super().__init__()
        self.job = job
        self.cancel_requested = False

    def run(self) -> None:
        try:
            result = self.job(lambda d, t: self.progressed.emit(d, t), lambda: self.cancel_requested)
        except Exception as err:  # noqa: BLE001 - handed to the main thread's one error path
            self.failed.emit(err)
        else:
            self.done.emit(result)


class LongJob(QObject):
    """Runs ``job`` on a thread with a progress dialog; emits ``finished(result)`` or ``failed(error)``."""

    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, parent: QWidget, title: str, job: Job) -> None:
        super().__init__(parent)
        self.dialog = QProgressDialog(title, self.tr("取消"), 0, 0, parent)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.thread = QThread(self)
        self.worker = Worker(job)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.progressed.connect(self._progress)
        self.worker.done.connect(self._done)
        self.worker.failed.connect(self._failed)
        self.dialog.canceled.connect(self.cancel)

    def start(self) -> "LongJob":
        self.thread.start()
        return self

    def cancel(self) -> None:
        self.worker.cancel_requested = True

    def _progress(self, done: int, total: int) -> None:
        self.dialog.setMaximum(total)
        self.dialog.setValue(done)

    def _stop(self) -> None:
        self.thread.quit()
        self.thread.wait()
        self.dialog.reset()
        self.dialog.hide()

    def _done(self, result: object) -> None:
        self._stop()
        self.finished.emit(result)

    def _failed(self, error: object) -> None:
        self._stop()
        self.failed.emit(error)
