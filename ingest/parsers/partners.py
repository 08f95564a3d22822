"""Partners as plans print them: "ART 20 ASBL Chantecler", "CPAS", "Ville de Châtelet"."""

from __future__ import annotations

import re

from pcs_graph.graph.records import PartnerRecord
from pcs_graph.text import fold, normalize_space

ARTICLE_20 = re.compile(r"\bART(?:ICLE)?\.?\s*20\b\s*[:\-–]?\s*", re.I)

_KINDS = (
    ("ASBL", re.compile(r"\b(asbl|a\.s\.b\.l\.?|vzw)\b")),
    ("CPAS", re.compile(r"\bcpas\b")),
    ("School", re.compile(r"\b(ecole|college|athenee|lycee|pms|institut)\b")),
    ("PublicBody", re.compile(r"\b(police|province|forem|onem|aviq|region|zone de secours|sps)\b")),
    ("CommuneService", re.compile(r"^(ville|commune|administration communale|service communal)\b")),
)


def partner_kind(name: str) -> str:
    folded = fold(name)
    for kind, pattern in _KINDS:
        if pattern.search(folded):
            return kind
    return "OtherPartner"


def partner(name: str, article20: bool = False) -> PartnerRecord:
    name = normalize_space(name).strip(" ;,")
    return PartnerRecord(name=name, article20=article20, kind=partner_kind(name))


def split_article20(text: str) -> tuple[str, PartnerRecord | None]:
    """'Assuétudes ART 20 ASBL RAMBO' → ('Assuétudes', PartnerRecord('ASBL RAMBO', article20=True))."""
    m = ARTICLE_20.search(text)
    if not m:
        return text, None
    label, name = text[: m.start()].strip(), text[m.end():].strip()
    return label, (partner(name, article20=True) if name else None)


def split_partner_list(text: str) -> list[str]:
    """'HOPE-AJ (ASBL HOPE); police; PMS' or 'Ville de Châtelet, CPAS' → names (parentheses kept)."""
    parts, depth, current = [], 0, []
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if ch in ";," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p for p in (normalize_space(p) for p in parts) if p]
