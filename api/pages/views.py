"""The plain values the French pages render: one data class per page or part of a page.

    view = PageData(store, uris, communes).commune("53053")     # CommuneView
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
class SourceView:
    path: str
    file_name: str
    title: str | None
    parser: str | None
    line: int | None = None
    page: int | None = None
    text: str | None = None


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
    plan_path: str
    programme: str
    province: str
    code_as_printed: str | None
    score: float | None
    method: str | None
    source: SourceView | None


@dataclass(frozen=True)
class PlanView:
    programme: str
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
