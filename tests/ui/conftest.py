"""UI fixtures: the bundled font, preferences in a temporary folder, a session on a real file."""

import pytest

from jiujinan.ui.fonts import register_bundled_font
from jiujinan.ui.prefs import Preferences
from jiujinan.ui.session import UiSession
from jiujinan.ui.translation import install_chinese


@pytest.fixture(autouse=True)
def chinese_qt(qapp) -> None:  # noqa: ANN001
    """Qt's own words in Chinese, as the app installs them at start."""
    install_chinese(qapp)


@pytest.fixture(autouse=True)
def restore_the_text_size(qapp):  # noqa: ANN001, ANN201
    """The application font is the one thing 设置 → 文字大小 changes for the whole process: put
    it back after each test, or a test that picks 16 pt leaves every later test's columns wider
    (the case list's sort arrow then lay off the right edge of its header)."""
    from PySide6.QtGui import QFont

    font = QFont(qapp.font())
    yield
    if qapp.font() != font:
        qapp.setFont(font)


@pytest.fixture(autouse=True)
def fresh_error_reporter(qapp) -> None:  # noqa: ANN001
    """Each test starts with an application that has shown no error yet (a box a test left
    «just shown» would otherwise be held back in the next one)."""
    from jiujinan.ui.errors import ErrorReporter, install

    install(qapp, ErrorReporter())


@pytest.fixture
def prefs(tmp_path) -> Preferences:  # noqa: ANN001
    return Preferences(tmp_path / "prefs.ini")


@pytest.fixture
def session(qapp, ctx, society_id, prefs) -> UiSession:  # noqa: ANN001
    register_bundled_font()
    return UiSession(ctx, prefs, society_id, "王会计")


@pytest.fixture(autouse=True)
def discard_unsaved_changes_at_teardown(monkeypatch) -> None:  # noqa: ANN001
    """A dialog left with typed changes is closed when a test ends: throw them away instead of
    waiting for an answer to 「有未保存的修改」 (tests that look at the question replace
    ``ask_discard`` on their dialog)."""
    from jiujinan.ui.dialog_keys import AsksBeforeDiscarding

    monkeypatch.setattr(AsksBeforeDiscarding, "ask_discard", lambda self: True)

