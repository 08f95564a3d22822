"""What search knows about each action, read from the store in ONE query, and the text embedded for it.

    actions = load_actions(store, uris)          # list[ActionInfo], sorted by URI
    embedded_text(actions[0])                    # label + description + publics + action type + theme + axis
    store_fingerprint(store, uris)               # changes whenever what is embedded may have changed
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from ..graph.sheet import article20_pattern, partner_pattern
from ..graph.uris import Uris
from ..graph.vocab import PCS
from ..store import Store
from .types import PartnerRef

STATUS_NAMES = {str(PCS.Declared): "declared", str(PCS.Inferred): "inferred", str(PCS.Unclassified): "unclassified"}


@dataclass
class ActionInfo:
    uri: str
    label: str
    commune: str
    nis: str
    province: str
    province_nis: str
    programme: str
    status: str
    source: str
    publication: str | None = None  # dcterms:source: the address the action was read from
    source_kind: str | None = None  # the publication's kind ("press"...)
    code: str | None = None
    action_type_label: str | None = None
    theme_label: str | None = None
    axis: int | None = None
    axis_label: str | None = None  # also the label of an old (2014-2019) axis, for the embedded text only
    description: str | None = None
    publics: list[str] = field(default_factory=list)
    partners: list[PartnerRef] = field(default_factory=list)
    size_band: str | None = None  # the commune's population band ("20000-49999")
    urban_rural: str | None = None  # the commune's class ("urban", "rural")

    @property
    def theme(self) -> str | None:
        return self.code.rsplit(".", 1)[0] if self.code else None

    @property
    def article20(self) -> bool:
        return any(p.article20 for p in self.partners)


# partners: the commune's own where its update states some (pcs_graph.contrib), else the documents'
_ACTIONS_QUERY = """
SELECT ?a ?label ?nis ?commune ?province ?provinceNis ?programme ?status ?source ?publication ?sourceKind ?code ?typeLabel ?themeLabel
       ?ax ?axisN ?axisLabel ?desc ?ownDesc ?public ?partner ?partnerName ?partnerKind ?art20 ?band ?klass
WHERE {
  ?a a pcs:Action ; rdfs:label ?label ; pcs:commune ?c .
  ?c pcs:nisCode ?nis ; skos:prefLabel ?commune ; pcs:province ?p .
  OPTIONAL { ?c pcs:sizeBand/skos:notation ?band } OPTIONAL { ?c pcs:urbanRuralClass/skos:notation ?klass }
  ?p skos:prefLabel ?province ; pcs:nisCode ?provinceNis .
  OPTIONAL { ?a pcs:plan/pcs:programme/skos:notation ?programme }
  OPTIONAL { ?a pcs:classificationStatus ?status }
  OPTIONAL { ?a prov:wasDerivedFrom ?source }
  OPTIONAL { ?a dcterms:source ?publication . OPTIONAL { ?publication dcterms:type/skos:notation ?sourceKind } }
  OPTIONAL { ?a pcs:actionType ?t . ?t skos:notation ?code .
             OPTIONAL { ?t skos:prefLabel ?typeLabel }
             OPTIONAL { ?t pcs:theme/skos:prefLabel ?themeLabel } }
  OPTIONAL { ?a pcs:axis ?ax . ?ax skos:notation ?axisN . OPTIONAL { ?ax skos:prefLabel ?axisLabel } }
  OPTIONAL { GRAPH ?descGraph { ?a dcterms:description ?desc } BIND(CONTAINS(STR(?descGraph), "/graph/contribution/") AS ?ownDesc) }
  OPTIONAL { ?a pcs:targetPublic ?public }
  OPTIONAL { """ + partner_pattern("?a", "?partner", "?partnerGraph") + """
             OPTIONAL { ?partner rdfs:label ?partnerName }
             OPTIONAL { ?partner pcs:partnerKind ?partnerKind }
             BIND(EXISTS { """ + article20_pattern("?a", "?partner", "?partnerGraph") + """ } AS ?art20) }
}
"""


def load_actions(store: Store, uris: Uris) -> list[ActionInfo]:
    """Every action with what search shows and filters on: one SPARQL query, folded per action."""
    actions: dict[str, ActionInfo] = {}
    for row in store.select(_ACTIONS_QUERY):
        uri = row["a"] or ""
        info = actions.get(uri)
        if info is None:
            status = STATUS_NAMES.get(row["status"] or "", "declared" if row["code"] else "unclassified")
            info = actions[uri] = ActionInfo(
                uri=uri, label=row["label"] or "", commune=row["commune"] or "", nis=row["nis"] or "",
                province=row["province"] or "", province_nis=row["provinceNis"] or "",
                programme=row["programme"] or "", status=status, source=row["source"] or "",
                publication=row["publication"], source_kind=row["sourceKind"],
                size_band=row["band"], urban_rural=row["klass"],
            )
        if row["code"] and not info.code:
            info.code, info.action_type_label, info.theme_label = row["code"], row["typeLabel"], row["themeLabel"]
        if row["ax"] and row["axisN"]:
            current_scheme = row["ax"] == str(uris.axis(row["axisN"]))
            if current_scheme and info.axis is None:
                info.axis, info.axis_label = int(row["axisN"]), row["axisLabel"]
            elif info.axis_label is None:
                info.axis_label = row["axisLabel"]
        if row["desc"] and (not info.description or row.get("ownDesc") == "true"):
            info.description = row["desc"]  # the commune's own update (pcs_graph.contrib) wins over the source's
        if row["public"] and row["public"] not in info.publics:
            info.publics.append(row["public"])
        if row["partner"] and all(p.uri != row["partner"] for p in info.partners):
            kind = row["partnerKind"].rsplit("#", 1)[-1] if row["partnerKind"] else None
            info.partners.append(PartnerRef(row["partner"], row["partnerName"] or row["partner"], kind,
                                            row["art20"] == "true"))
    for info in actions.values():
        if info.code and info.axis is None:
            info.axis = int(info.code.split(".", 1)[0])
    return [actions[u] for u in sorted(actions)]


def embedded_text(info: ActionInfo) -> str:
    """Label, then the action's own words (its description, its public), then what the graph knows
    around it: type, theme, axis."""
    parts = [info.label]
    if info.description:
        parts.append(info.description)
    if info.publics:
        parts.append("Public : " + ", ".join(info.publics))
    if info.action_type_label and info.action_type_label != info.label:
        parts.append(info.action_type_label)
    if info.theme_label:
        parts.append(info.theme_label)
    if info.axis_label:
        parts.append(info.axis_label)
    return ". ".join(p.strip().rstrip(".") for p in parts if p and p.strip())


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def store_fingerprint(store: Store, uris: Uris) -> str:
    """A digest of what the embedded texts depend on: every graph's content hash (documents, reference),
    the classifier's assignments and the nomenclature's labels. Cheap: no per-action scan of documents."""
    classification, nomenclature = uris.graph("classification"), uris.graph("nomenclature")
    rows = store.select(f"""
SELECT ?g ?x ?y WHERE {{
  {{ GRAPH ?g {{ ?g pcs:contentHash ?x }} }}
  UNION {{ GRAPH <{classification}> {{ ?s pcs:actionType ?t }} BIND(<{classification}> AS ?g)
          BIND(STR(?s) AS ?x) BIND(STR(?t) AS ?y) }}
  UNION {{ GRAPH <{nomenclature}> {{ ?s skos:prefLabel ?l }} BIND(<{nomenclature}> AS ?g)
          BIND(STR(?s) AS ?x) BIND(STR(?l) AS ?y) }}
}}""")
    lines = sorted(f"{r['g']}\t{r['x']}\t{r['y'] or ''}" for r in rows)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:24]
