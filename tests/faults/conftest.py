"""The UI fixtures, for the corpus tests that type into forms."""

from tests.ui.conftest import prefs, session  # noqa: F401
