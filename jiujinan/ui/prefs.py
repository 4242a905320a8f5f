"""Per-PC preferences (text size, last society and operator), kept in an ini file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from jiujinan.files import open_private, private_dir

DEFAULT_TEXT_SIZE = 11
TEXT_SIZES = (10, 11, 12, 14, 16, 18)


class Preferences:
    """A thin typed face over QSettings in the user config directory."""

    def __init__(self, path: Path) -> None:
        # Owner-only: Qt rewrites the file keeping the mode of the one it replaces.
        private_dir(path.parent, owned=True)
        open_private(path, "ab").close()
        self._s = QSettings(str(path), QSettings.Format.IniFormat)

    def _int(self, key: str, default: int) -> int:
        try:
            return int(self._s.value(key, default))
        except (TypeError, ValueError):
            return default

    @property
    def text_size(self) -> int:
        size = self._int("ui/text_size", DEFAULT_TEXT_SIZE)
        return size if 8 <= size <= 32 else DEFAULT_TEXT_SIZE

    @text_size.setter
    def text_size(self, value: int) -> None:
        self._s.setValue("ui/text_size", int(value))

    def last_society(self, db_label: str) -> int | None:
        value = self._int(f"db/{_key(db_label)}/society", 0)
        return value or None

    def set_last_society(self, db_label: str, society_id: int) -> None:
        self._s.setValue(f"db/{_key(db_label)}/society", society_id)

    @property
    def last_user(self) -> str:
        return str(self._s.value("ui/last_user", "") or "")

    @last_user.setter
    def last_user(self, value: str) -> None:
        self._s.setValue("ui/last_user", value)

    @property
    def backup_folder(self) -> str:
        """Where backups go ("" for the default folder in the user data directory)."""
        return str(self._s.value("backup/folder", "") or "")

    @backup_folder.setter
    def backup_folder(self, value: str) -> None:
        self._s.setValue("backup/folder", value)

    @property
    def backup_keep(self) -> int:
        keep = self._int("backup/keep", 10)
        return keep if 1 <= keep <= 365 else 10

    @backup_keep.setter
    def backup_keep(self, value: int) -> None:
        self._s.setValue("backup/keep", int(value))

    @property
    def window_geometry(self) -> QByteArray | None:
        value = self._s.value("ui/window_geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self._s.setValue("ui/window_geometry", value)

    def sync(self) -> None:
        self._s.sync()


def _key(label: str) -> str:
    """A settings key for a database path or URL (QSettings keys may not contain slashes)."""
    import hashlib

    return hashlib.sha1(label.encode("utf-8")).hexdigest()[:12]
