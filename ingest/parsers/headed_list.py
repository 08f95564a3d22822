"""A page listing actions under headings of its own, with a local numbering that is not the region's:

    Axe 1 : Droit à la santé
    Action : Permanence sociale et santé au CPAS
    Axe 2 : Droit à l'alimentation
    Action : Potager collectif

A heading is mapped to the region's axis by the right it names ("Droit à la santé" → axis 3), never
by its local number; the axis is kept as stated (`pcs:axis`, not a declared action type) and the
heading as printed (`pcs:sourceHeading`). The "Action :" prefix is not part of the label.
"""

from __future__ import annotations

import re

from pcs_graph.errors import InputError
from pcs_graph.graph.records import ActionRecord, SourceSpan
from pcs_graph.graph.reference import axis_named_by
from pcs_graph.text import normalize_space

from ..lines import Line, where
from .bullet_list import bullet_text

NAME = "headed-list"

_HEADING = re.compile(r"^\s*(?:[#*]+\s*)?axe\s*(?:n°\s*)?\d{0,2}\s*[:.\-–—]\s*(?P<title>\S.*)$", re.I)
_ACTION = re.compile(r"^\s*(?:[•\-–*]\s*)?action\s*(?:n°\s*)?\d{0,3}\s*[:.\-–—]\s*(?P<label>\S.*)$", re.I)


def looks_headed(lines: list[Line]) -> bool:
    """At least one "Axe … :" heading followed, later, by an "Action :" line."""
    seen_heading = False
    for line in lines:
        if _HEADING.match(line.text):
            seen_heading = True
        elif seen_heading and _ACTION.match(line.text):
            return True
    return False


def parse(lines: list[Line], source: str) -> tuple[list[ActionRecord], list[str]]:
    actions: list[ActionRecord] = []
    warnings: list[str] = []
    heading: str | None = None
    axis: int | None = None
    for line in lines:
        if m := _HEADING.match(line.text):
            heading = normalize_space(line.text)
            axis = axis_named_by(m["title"])
            if axis is None:
                warnings.append(f"{where(source, line)}:{line.number}: le titre « {heading} » ne nomme aucun droit d'un "
                                "seul axe 2020-2025 : ses actions restent sans axe")
            continue
        if heading is None:
            continue
        m = _ACTION.match(line.text)
        label = m["label"] if m else bullet_text(line)
        if label is None:
            continue
        label = normalize_space(label).rstrip(" .;")
        if not label:
            raise InputError(where(source, line), "action sans libellé", line=line.number, expected="Action : libellé")
        actions.append(ActionRecord(
            label=label, span=SourceSpan(source, line=line.number, page=line.page, text=line.text.strip()),
            stated_axis=axis, heading=heading,
        ))
    if not actions:
        raise InputError(source, "aucune action sous les titres « Axe … : »",
                         expected="des lignes « Action : libellé » sous un titre « Axe N : Droit à … »")
    return actions, warnings
