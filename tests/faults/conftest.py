"""The UI fixtures, for the corpus tests that type into forms."""

from tests.ui.conftest import discard_unsaved_changes_at_teardown, prefs, session  # noqa: F401
