"""The one place errors reach the clerk: what is said, where the log is named, and a lost
database said once rather than by every screen; its memory is the application's."""

import logging

from PySide6.QtWidgets import QMessageBox

from jiujinan.cases.errors import DomainError
from jiujinan.services.context import DatabaseUnavailable
from jiujinan.ui.errors import REPEAT_AFTER, ErrorReporter, install, message_for, reporter, show_error


class Clock:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_domain_messages_as_they_are_and_the_rest_via_the_log(qapp, tmp_path, caplog) -> None:  # noqa: ANN001
    assert message_for(DomainError("这件事已经办完了")) == "这件事已经办完了"
    install(qapp, ErrorReporter(tmp_path / "jiujinan.log"))
    with caplog.at_level(logging.ERROR, logger="jiujinan.ui"):
        said = message_for(KeyError("aid_case"))
    assert said == f"程序出错，操作未完成。详细信息已记录在 {tmp_path / 'jiujinan.log'}"
    assert caplog.records[-1].exc_info[0] is KeyError  # with its traceback
    assert ErrorReporter().message_for(KeyError("x")) == "程序出错，操作未完成。详细信息已记录在日志中"


def test_a_lost_database_is_said_once_until_its_box_has_been_closed_a_while(qapp, monkeypatch) -> None:  # noqa: ANN001
    clock = Clock()
    install(qapp, ErrorReporter(clock=clock))
    boxes: list[str] = []

    def box(parent, title, text) -> None:  # noqa: ANN001
        boxes.append(text)
        show_error(None, DatabaseUnavailable("连不上数据库服务器"))  # another screen fails while it is open
        clock.now += 1

    monkeypatch.setattr(QMessageBox, "warning", box)
    show_error(None, DatabaseUnavailable("连不上数据库服务器"))
    show_error(None, DatabaseUnavailable("连不上数据库服务器"))  # just closed
    assert boxes == ["连不上数据库服务器"]
    clock.now += REPEAT_AFTER
    show_error(None, DatabaseUnavailable("连不上数据库服务器"))
    show_error(None, DomainError("金额不能为负"))
    show_error(None, DomainError("金额不能为负"))  # other errors are said each time
    assert boxes == ["连不上数据库服务器", "连不上数据库服务器", "金额不能为负", "金额不能为负"]


def test_the_memory_is_the_applications_not_the_modules(qapp, monkeypatch) -> None:  # noqa: ANN001
    boxes: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: boxes.append(text))
    first = reporter()
    assert reporter() is first  # the one the application holds
    show_error(None, DatabaseUnavailable("数据库正被其他程序使用"))
    install(qapp, ErrorReporter())  # another application run: nothing was shown in it yet
    show_error(None, DatabaseUnavailable("数据库正被其他程序使用"))
    assert len(boxes) == 2 and reporter() is not first
