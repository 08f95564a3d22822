"""Counts researchers ask first: actions per axis, commune, province and partner kind.

The shares per axis are shown beside those the region reported for the 1,712 actions of the
2009-2013 plans (seed 001): 24% socio-professional insertion, 11% housing, 20% health,
43% social links, 2% coordination (old 4-axis scheme, for comparison only).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..store import Store

SHARES_2009_2013 = {
    "Insertion socioprofessionnelle": 0.24, "Logement": 0.11, "Santé": 0.20,
    "Retissage des liens sociaux": 0.43, "Coordination": 0.02,
}


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    actions: int
    share: float


def _counts(store: Store, query: str) -> list[Count]:
    rows = store.select(query)
    total = sum(int(r["n"] or 0) for r in rows) or 1
    return [Count(r["key"] or "", r["label"] or r["key"] or "—", int(r["n"] or 0), int(r["n"] or 0) / total)
            for r in rows]


def actions_per_axis(store: Store) -> list[Count]:
    """Axis of each action: its action type's axis, else an axis the source states, else 'unclassified'."""
    return _counts(store, """
        SELECT ?key (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?a) AS ?n) WHERE {
          ?a a pcs:Action .
          OPTIONAL { ?a pcs:actionType/pcs:axis ?ax1 . ?ax1 skos:prefLabel ?l1 }
          OPTIONAL { ?a pcs:axis ?ax2 . ?ax2 skos:prefLabel ?l2 }
          BIND(COALESCE(?ax1, ?ax2) AS ?axis)
          BIND(IF(BOUND(?axis), STRAFTER(STR(?axis), "/axis/"), "?") AS ?key)
          BIND(COALESCE(?l1, ?l2, "non classée") AS ?l)
        } GROUP BY ?key ORDER BY ?key""")


def actions_per_commune(store: Store) -> list[Count]:
    return _counts(store, """
        SELECT ?key (SAMPLE(?name) AS ?label) (COUNT(DISTINCT ?a) AS ?n) WHERE {
          ?a a pcs:Action ; pcs:commune ?c . ?c pcs:nisCode ?key ; skos:prefLabel ?name .
        } GROUP BY ?key ORDER BY DESC(?n) ?key""")


def actions_per_province(store: Store) -> list[Count]:
    return _counts(store, """
        SELECT ?key (SAMPLE(?name) AS ?label) (COUNT(DISTINCT ?a) AS ?n) WHERE {
          ?a a pcs:Action ; pcs:commune/pcs:province ?p . ?p pcs:nisCode ?key ; skos:prefLabel ?name .
        } GROUP BY ?key ORDER BY DESC(?n)""")


def actions_per_partner_kind(store: Store) -> list[Count]:
    """Actions with at least one partner of each kind, and those run without a named partner."""
    return _counts(store, """
        SELECT ?key (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?a) AS ?n) WHERE {
          ?a a pcs:Action .
          OPTIONAL { ?a pcs:partner/pcs:partnerKind ?kind . ?kind skos:prefLabel ?kl FILTER(lang(?kl) = "fr") }
          BIND(COALESCE(STRAFTER(STR(?kind), "#"), "none") AS ?key)
          BIND(COALESCE(?kl, "sans partenaire nommé") AS ?l)
        } GROUP BY ?key ORDER BY DESC(?n)""")


def totals(store: Store) -> dict[str, int]:
    row = store.select("""
        SELECT (COUNT(DISTINCT ?a) AS ?actions) (COUNT(DISTINCT ?c) AS ?communes)
               (COUNT(DISTINCT ?p) AS ?partners) (COUNT(DISTINCT ?a20) AS ?article20)
               (COUNT(DISTINCT ?u) AS ?unclassified) WHERE {
          ?a a pcs:Action ; pcs:commune ?c .
          OPTIONAL { ?a pcs:partner ?p }
          OPTIONAL { ?a pcs:article20Partner ?x BIND(?a AS ?a20) }
          OPTIONAL { ?a pcs:classificationStatus pcs:Unclassified BIND(?a AS ?u) }
        }""")[0]
    return {k: int(v or 0) for k, v in row.items()}
