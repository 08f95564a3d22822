"""The counts researchers ask first, each defined once here and shown the same on every page, API and CLI.

    totals(store)                 # {"actions": 101, "declared": 32, "inferred": 3, "unclassified": 66, ...}
    actions_per_axis(store)       # [Count("5", "Le droit à l'épanouissement…", 30, 0.3), ..., Count("none", "sans axe connu", …)]
    LABELS["without_declared_type"]   # "actions sans type déclaré (inférées ou non classées)"

Definitions (a test recomputes each by SPARQL and compares every surface):
- actions: live `pcs:Action`s (a `pcs:DroppedAction` is never one);
- declared / inferred / unclassified: their `pcs:classificationStatus` (code printed by the source /
  type assigned by the classifier / no type); without_declared_type = inferred + unclassified;
- per axis: the axis of the action type, else the axis written on the action (stated by the source, or
  inferred by the classifier); old-scheme axes (2009-2019) apart; "none" for an action with neither.
  Where each axis comes from (AXIS_SOURCE, the same on every surface): "declared" (the action's code is
  printed by the source: `pcs:classificationStatus pcs:Declared`), "inferred" (the classifier wrote it,
  with or without a type: `pcs:axisStatus pcs:Inferred`), "stated" (any other axis: the source states
  it); totals axis_declared + axis_stated + axis_inferred + axis_unknown = actions;
- per province, per commune: the action's commune; per partner kind: actions with at least one
  partner of that kind ("none": no named partner), so an action may count for several kinds. An
  action's partners are its commune's own where its update states some, else its documents'.

The shares per axis are shown beside those the region reported for the 1,712 actions of the
2009-2013 plans (seed 001): 24% socio-professional insertion, 11% housing, 20% health,
43% social links, 2% coordination (old 4-axis scheme, for comparison only).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..graph.sheet import article20_pattern, partner_pattern
from ..store import Store

SHARES_2009_2013 = {
    "Insertion socioprofessionnelle": 0.24, "Logement": 0.11, "Santé": 0.20,
    "Retissage des liens sociaux": 0.43, "Coordination": 0.02,
}
# what each total counts, in the words every surface uses
LABELS = {
    "actions": "actions",
    "communes": "communes qui ont des actions dans le graphe",
    "partners": "partenaires nommés",
    "article20": "actions avec un partenaire « article 20 »",
    "declared": "actions au code déclaré par la source",
    "inferred": "actions au type inféré par le classifieur",
    "unclassified": "actions non classées (aucun type)",
    "without_declared_type": "actions sans type déclaré (inférées ou non classées)",
    "undated": "actions sans programmation connue",
    "dropped": "actions retirées d'un plan (non comptées)",
    "axis_declared": "actions à l'axe déclaré (code imprimé par la source)",
    "axis_stated": "actions à l'axe indiqué par la source (sans code)",
    "axis_inferred": "actions à l'axe inféré par le classifieur",
    "axis_unknown": "actions sans axe connu",
}
AXIS_SOURCES = ("declared", "stated", "inferred")
# where an action's axis comes from (?a has an axis ?axis): one SPARQL expression, used by every count
AXIS_SOURCE = ('IF(EXISTS { ?a pcs:classificationStatus pcs:Declared }, "declared", '
               'IF(EXISTS { ?a pcs:axisStatus pcs:Inferred }, "inferred", "stated"))')
NO_AXIS = "none"
NO_AXIS_LABEL = "sans axe connu (ni code ni axe indiqué)"


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    actions: int
    share: float
    declared: int = 0  # per axis only: how many of `actions` have it from a printed code,
    stated: int = 0    # from the source's words,
    inferred: int = 0  # from the classifier


def _counts(store: Store, query: str) -> list[Count]:
    rows = store.select(query)
    total = sum(int(r["n"] or 0) for r in rows) or 1
    return [Count(r["key"] or "", r["label"] or r["key"] or "—", int(r["n"] or 0), int(r["n"] or 0) / total,
                  *(int(r.get(k) or 0) for k in AXIS_SOURCES))
            for r in rows]


def actions_per_axis(store: Store) -> list[Count]:
    """Axis of each action: its action type's axis, else the axis written on it, else none; with where
    the axes come from (declared, stated, inferred: AXIS_SOURCE)."""
    counts = _counts(store, f"""
        SELECT ?key (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?a) AS ?n) (COUNT(DISTINCT ?d) AS ?declared)
               (COUNT(DISTINCT ?s) AS ?stated) (COUNT(DISTINCT ?i) AS ?inferred) WHERE {{
          ?a a pcs:Action .
          OPTIONAL {{ ?a pcs:actionType/pcs:axis ?ax1 . ?ax1 skos:prefLabel ?l1 }}
          OPTIONAL {{ ?a pcs:axis ?ax2 . ?ax2 skos:prefLabel ?l2 }}
          BIND(COALESCE(?ax1, ?ax2) AS ?axis)
          BIND(IF(BOUND(?axis), STRAFTER(STR(?axis), "/axis/"), "{NO_AXIS}") AS ?key)
          BIND(COALESCE(?l1, ?l2, "{NO_AXIS_LABEL}") AS ?l)
          BIND(IF(BOUND(?axis), {AXIS_SOURCE}, "none") AS ?source)
          BIND(IF(?source = "declared", ?a, ?no) AS ?d) BIND(IF(?source = "stated", ?a, ?no) AS ?s)
          BIND(IF(?source = "inferred", ?a, ?no) AS ?i)
        }} GROUP BY ?key ORDER BY ?key""")
    return sorted(counts, key=lambda c: (c.key == NO_AXIS, "/" in c.key, c.key))


def axis_title(count: Count) -> str:
    """How a row of actions_per_axis is named: 'Axe 5 — …', 'Ancien axe 4 (2009-2019) — …', 'Sans axe connu…'."""
    return axis_heading(count.key, count.label)


def axis_heading(key: str, label: str) -> str:
    """The one way every surface names an axis key of actions_per_axis ('5', '2014-2019/4', 'none')."""
    if key == NO_AXIS:
        return NO_AXIS_LABEL[0].upper() + NO_AXIS_LABEL[1:]
    if "/" in key:
        return f"Ancien axe {key.rsplit('/', 1)[-1]} (2009-2019) — {label}"
    return f"Axe {key} — {label}"


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
          OPTIONAL { """ + partner_pattern("?a", "?p", "?pg") + """ ?p pcs:partnerKind ?kind .
                     ?kind skos:prefLabel ?kl FILTER(lang(?kl) = "fr") }
          BIND(COALESCE(STRAFTER(STR(?kind), "#"), "none") AS ?key)
          BIND(COALESCE(?kl, "sans partenaire nommé") AS ?l)
        } GROUP BY ?key ORDER BY DESC(?n)""")


def totals(store: Store, where: str = "") -> dict[str, int]:
    """Every total of LABELS, for all actions or those matching `where` (a pattern on ?a, e.g. one commune)."""
    row = store.select(f"""
        SELECT (COUNT(DISTINCT ?a) AS ?actions) (COUNT(DISTINCT ?c) AS ?communes)
               (COUNT(DISTINCT ?p) AS ?partners) (COUNT(DISTINCT ?a20) AS ?article20)
               (COUNT(DISTINCT ?d) AS ?declared) (COUNT(DISTINCT ?i) AS ?inferred)
               (COUNT(DISTINCT ?u) AS ?unclassified) (COUNT(DISTINCT ?x) AS ?undated) WHERE {{
          ?a a pcs:Action ; pcs:commune ?c . {where}
          OPTIONAL {{ {partner_pattern("?a", "?p", "?pg")} }}
          OPTIONAL {{ {partner_pattern("?a", "?any", "?g20")} {article20_pattern("?a", "?any", "?g20")} BIND(?a AS ?a20) }}
          OPTIONAL {{ ?a pcs:classificationStatus pcs:Declared BIND(?a AS ?d) }}
          OPTIONAL {{ ?a pcs:classificationStatus pcs:Inferred BIND(?a AS ?i) }}
          OPTIONAL {{ ?a pcs:classificationStatus pcs:Unclassified BIND(?a AS ?u) }}
          BIND(IF(EXISTS {{ ?a pcs:plan ?plan }}, ?none, ?a) AS ?x)
        }}""")[0]
    out = {k: int(v or 0) for k, v in row.items()}
    out["without_declared_type"] = out["actions"] - out["declared"]
    dropped = store.select(f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a a pcs:DroppedAction ; pcs:commune ?c . {where} }}")
    out["dropped"] = int(dropped[0]["n"] or 0)
    out.update(axis_sources(store, where))
    return {k: out[k] for k in LABELS}


def axis_sources(store: Store, where: str = "") -> dict[str, int]:
    """Live actions by where their axis comes from: axis_declared, axis_stated, axis_inferred, axis_unknown."""
    rows = store.select(f"""
        SELECT ?source (COUNT(DISTINCT ?a) AS ?n) WHERE {{
          ?a a pcs:Action ; pcs:commune ?c . {where}
          OPTIONAL {{ ?a pcs:actionType/pcs:axis ?ax1 }} OPTIONAL {{ ?a pcs:axis ?ax2 }}
          BIND(COALESCE(?ax1, ?ax2) AS ?axis)
          BIND(IF(BOUND(?axis), {AXIS_SOURCE}, "unknown") AS ?source)
        }} GROUP BY ?source""")
    found = {r["source"]: int(r["n"] or 0) for r in rows}
    return {f"axis_{k}": found.get(k, 0) for k in (*AXIS_SOURCES, "unknown")}
