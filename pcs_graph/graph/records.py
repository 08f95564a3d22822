"""The values that flow from parsers to the graph: one PlanDocument holding ActionRecords.

Parsers produce these plain data classes; `model.py` turns them into triples. Nothing here knows RDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceSpan:
    """Where a record comes from: the document's file name, and the line and/or page in it."""

    file: str
    line: int | None = None
    page: int | None = None
    text: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.page is not None:
            where += f", page {self.page}"
        if self.line is not None:
            where += f":{self.line}"
        return where


@dataclass(frozen=True)
class PartnerRecord:
    name: str
    article20: bool = False
    kind: str | None = None  # "ASBL", "CPAS", "CommuneService", "PublicBody", "School", "OtherPartner"


@dataclass(frozen=True)
class ActionRecord:
    """One action as a document states it: its code is None when the document prints none."""

    label: str
    span: SourceSpan
    code: str | None = None
    code_as_printed: str | None = None
    sequence: int | None = None
    partners: tuple[PartnerRecord, ...] = ()
    target_publics: tuple[str, ...] = ()
    description: str | None = None
    commune: str | None = None  # name or NIS code, when the row names its own commune (tables)
    programme: str | None = None
    stated_axis: int | None = None  # an axis printed without a full code


@dataclass
class PlanDocument:
    """A parsed document: who it is about and what actions it lists."""

    file_name: str
    content_hash: str
    parser: str
    title: str | None = None
    nis: str | None = None  # the commune of the whole document, when it has one
    programme: str | None = None
    project_leader: str | None = None
    actions: list[ActionRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
