"""The domain's exception types; every message is fit to show a clerk, in Chinese."""

from __future__ import annotations

from dataclasses import dataclass


class DomainError(Exception):
    """A rule of the domain refused an operation; ``str(err)`` is the clerk's message."""


@dataclass(frozen=True)
class FieldError:
    """One reason a field's value is refused, tied to the field's name."""

    field: str
    message: str


class ValidationError(DomainError):
    """Input that breaks one or more field rules; carries every error at once (一次性告知)."""

    def __init__(self, errors: list[FieldError] | FieldError | str, field: str = "") -> None:
        if isinstance(errors, str):
            errors = [FieldError(field, errors)]
        elif isinstance(errors, FieldError):
            errors = [errors]
        self.errors: list[FieldError] = list(errors)
        super().__init__("；".join(e.message for e in self.errors))


class NotFoundError(DomainError):
    """The record asked for does not exist (or not in this society)."""


class ConflictError(DomainError):
    """Someone else changed the record first; reload and try again."""
