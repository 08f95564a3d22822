"""The values that flow from parsers to the graph: one PlanDocument holding ActionRecords.

Parsers produce these plain data classes; `model.py` turns them into triples. Nothing here knows RDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .sheet import PracticeSheet


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
class Publication:
    """What a person can read at a web address: the page, printout or article an action is read from.

    `kind` is a code of the source-kind scheme ("press", "official-plan", ...); title, publisher and
    date (ISO: "2023-03-02", "2022-09" or "2016") only where the source or its metadata gives them."""

    url: str
    kind: str
    title: str | None = None
    publisher: str | None = None
    date: str | None = None


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
    heading: str | None = None  # the heading the action is listed under, as printed ("Axe 1 : Droit à la santé")
    publication: Publication | None = None  # where the action was read (a table row may name its own)
    citation: str | None = None  # a source given without a web address, kept as printed
    dropped: bool = False  # the source says the action was removed from the plan
    note: str | None = None  # what the source says around it (kept for dropped actions)
    sheet: PracticeSheet | None = None  # what its description says: publics, status, period, figures, contact


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
    publication: Publication | None = None  # where the whole document is published
    document_number: str | None = None  # as printed by the regional application ("SPW-PCS-…")
    status: str | None = None  # as printed ("Signé par les autorités communales")
    printed_on: str | None = None  # ISO date the document says it was printed
    actions: list[ActionRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
