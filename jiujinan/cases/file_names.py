"""Attachment names as the app keeps and shows them: a name comes from outside and may try to
look like something else (a right-to-left mark turning «bill‮fdp.exe» into «billexe.pdf»), break
a line in a list or log, climb out of a folder, or run in a shell when pasted."""

from __future__ import annotations

import unicodedata

from jiujinan.cases.errors import DomainError

MAX_NAME_CHARS = 120  # enough for any real file name; a longer one is cut, keeping its suffix
FALLBACK_NAME = "附件"
# Characters a shell, Windows or a path would read as more than part of a name.
_UNSAFE = frozenset("/\\:*?\"<>|$`;&!'{}[]~%^")
# Windows opens these as devices whatever the suffix.
_DEVICES = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(10)), *(f"LPT{n}" for n in range(10))})


def clean_file_name(name: str) -> str:
    """The name with no path parts, no control, format or direction characters (U+202A–202E,
    U+2066–2069, U+200E/F and the like), no line breaks, shell and path characters replaced by
    «_», no leading dot or dash, and at most MAX_NAME_CHARS characters (the suffix kept)."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/")).rsplit("/", 1)[-1]
    kept = []
    for ch in name:
        kind = unicodedata.category(ch)
        if kind in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            continue  # control, format (direction marks, zero-width), surrogate, unassigned
        kept.append("_" if ch in _UNSAFE else " " if kind == "Zs" else ch)
    text = " ".join("".join(kept).split())  # no runs of spaces, none at either end
    text = text.lstrip(".-_ ").rstrip(". ")
    if len(text) > MAX_NAME_CHARS:
        stem, dot, suffix = text.rpartition(".")
        if dot and 0 < len(suffix) <= 10:
            text = stem[:MAX_NAME_CHARS - len(suffix) - 1].rstrip(". ") + "." + suffix
        else:
            text = text[:MAX_NAME_CHARS].rstrip(". ")
    if text.split(".", 1)[0].upper() in _DEVICES:
        text = "_" + text
    return text or FALLBACK_NAME


# What the office PC opens with its own viewer: pictures, PDF and OFD (China's e-invoice
# format), office and WPS documents, plain text. Anything else (a program, a script, a shortcut,
# an archive) stays with the case but is not opened: one click must not run what an applicant
# brought on a USB stick.
VIEWABLE = frozenset({
    ".pdf", ".ofd", ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic",
    ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".et", ".dps", ".odt", ".ods", ".rtf", ".txt",
})


def refuse_unviewable(name: str) -> None:
    """Refuse to open an attachment whose type is not one VIEWABLE lists (DomainError)."""
    cleaned = clean_file_name(name)
    stem, dot, suffix = cleaned.rpartition(".")
    if not (dot and stem and f".{suffix.lower()}" in VIEWABLE):
        kind = f"“.{suffix}”类型的" if dot and stem else "没有扩展名的"
        raise DomainError(f"为安全起见，程序不直接打开{kind}附件“{cleaned}”（可能是程序或脚本）；"
                          "它仍随案件保存，需要时请交给管理员检查")
