"""Errors a user can cause, each carrying where it happened so the CLI and the API can say it plainly."""

from __future__ import annotations

from dataclasses import dataclass


class PcsError(Exception):
    """Base of every error pcs-graph reports to a user (CLI message, API 4xx)."""


@dataclass
class InputError(PcsError):
    """A document (or one line of it) that cannot be read as a plan document."""

    source: str
    message: str
    line: int | None = None
    expected: str | None = None

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        text = f"{where}: {self.message}"
        if self.expected:
            text += f" (attendu : {self.expected})"
        return text


class UnknownCommuneError(PcsError):
    """A commune name or NIS code that matches none of the 262 Walloon communes."""

    def __init__(self, given: str, suggestions: list[str] | None = None) -> None:
        self.given = given
        self.suggestions = suggestions or []
        hint = f" ; vouliez-vous dire : {', '.join(self.suggestions)} ?" if self.suggestions else ""
        super().__init__(f"commune inconnue : {given!r}{hint}")


class InvalidCodeError(PcsError):
    """An action-type code that is not of the form axis.theme.action with an axis 1-7."""

    def __init__(self, code: str, reason: str) -> None:
        self.code = code
        self.reason = reason
        super().__init__(f"code de nomenclature invalide {code!r} : {reason}")


class StoreError(PcsError):
    """The store cannot be opened or written (locked, unreachable, read-only)."""


class QueryError(PcsError):
    """A SPARQL query that does not parse or cannot run."""
