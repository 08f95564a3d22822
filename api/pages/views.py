"""The plain values the French pages render: one data class per page or part of a page.

    view = PageData(store, uris, communes, programmes).commune("53053")     # CommuneView
    view.groups[0].actions[0].label, view.partners[0][0].name

Nothing here queries anything: `data.PageData` builds these from the graph.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from pcs_graph.graph.reference import Commune


@dataclass(frozen=True)
class Link:
    path: str
    label: str


@dataclass(frozen=True)
class PartnerView:
    path: str
    name: str
    kind: str | None
    article20: bool


@dataclass(frozen=True)
class PublicationView:
    """A publication as pages show it: a link, its kind in words, its publisher and date where known."""

    url: str
    kind: str  # "press"
    kind_label: str  # "article de presse"
    title: str | None = None
    publisher: str | None = None
    issued: str | None = None  # "2023-03-02", "2022-09" or "2016"

    @property
    def name(self) -> str:
        """What the link reads: « title » (publisher), or the address's host when no title is known."""
        if self.title:
            return f"« {self.title} »" + (f" ({self.publisher})" if self.publisher else "")
        host = self.url.split("//", 1)[-1].split("/", 1)[0].rstrip(".")
        return self.publisher or host


@dataclass(frozen=True)
class SourceView:
    """An ingested file, and the publication it is a copy of (when one is known)."""

    path: str
    file_name: str
    title: str | None
    parser: str | None
    line: int | None = None
    page: int | None = None
    text: str | None = None
    publication: PublicationView | None = None
    number: str | None = None  # the document number the region printed on it
    status: str | None = None
    printed_on: str | None = None


@dataclass(frozen=True)
class ActionRow:
    """One action in a list: enough to show it and link to it."""

    path: str
    label: str
    code: str | None
    type_label: str | None
    axis: str  # "5", or "?" when unknown
    commune: Link
    nis: str
    status: str
    partners: tuple[PartnerView, ...] = ()


@dataclass(frozen=True)
class ActionView:
    uri: str
    row: ActionRow
    description: str | None
    target_publics: tuple[str, ...]
    axis_label: str | None
    axis_path: str | None
    theme: Link | None
    type_path: str | None
    plan_path: str | None  # None: its source gives no programme
    programme: str  # as pages name it: "PCS 2020-2025 (prolongé jusqu'au 31 décembre 2026)"
    province: str
    code_as_printed: str | None
    score: float | None
    method: str | None
    source: SourceView | None
    publication: PublicationView | None = None  # where the action was read
    citation: str | None = None  # a source given without an address
    heading: str | None = None  # the heading the source lists it under
    axis_score: float | None = None  # an axis inferred by the classifier (pcs:axisStatus pcs:Inferred): its probability


@dataclass(frozen=True)
class PlanView:
    programme: str  # "2020-2025"
    label: str  # "PCS 2020-2025 (prolongé jusqu'au 31 décembre 2026)"
    lead: Link
    communes: tuple[Link, ...]
    delegated_to_cpas: bool
    subsidies: tuple[tuple[str, float, str], ...]  # (year, amount EUR, beneficiary kind)
    sources: tuple[str, ...]  # reference sources (URLs or citations) of the plan facts


@dataclass(frozen=True)
class AxisGroup:
    axis: str
    label: str
    actions: tuple[ActionRow, ...]


@dataclass(frozen=True)
class CommuneView:
    commune: Commune
    province_path: str
    plans: tuple[PlanView, ...]
    without_plan_in: tuple[str, ...]
    groups: tuple[AxisGroup, ...]
    partners: tuple[tuple[PartnerView, int], ...]  # partner, number of actions
    sources: tuple[SourceView, ...]
    inferred: int
    publications: tuple[PublicationView, ...] = ()

    @property
    def total(self) -> int:
        return sum(len(g.actions) for g in self.groups)


@dataclass(frozen=True)
class ConceptView:
    """An axis, a theme or an action type: its place in the nomenclature and the actions under it."""

    kind: str  # "axis", "theme", "action-type"
    code: str
    label: str | None
    broader: tuple[Link, ...]  # axis (and theme) above it
    narrower: tuple[tuple[Link, int], ...]  # themes or action types below it, with their action counts
    official: bool
    learned_from: tuple[SourceView, ...]
    actions: tuple[ActionRow, ...]
    sources: tuple[SourceView, ...]  # the documents its actions come from
    rights: tuple[str, ...] = ()

    @property
    def communes(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for a in self.actions:
            counts[a.nis] += 1
        return dict(counts)


@dataclass(frozen=True)
class PartnerPage:
    path: str
    name: str
    kind: str | None
    actions: tuple[ActionRow, ...]
    article20_actions: int
    sources: tuple[SourceView, ...]


@dataclass(frozen=True)
class DocumentView:
    path: str
    source: SourceView
    content_hash: str | None
    actions: tuple[ActionRow, ...]


@dataclass(frozen=True)
class ProvinceView:
    nis: str
    name: str
    communes: tuple[tuple[Commune, int], ...]  # commune, actions in the graph
