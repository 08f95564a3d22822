"""What the French pages show, read from the graph into plain values (one method per page).

    data = PageData(workspace.store, workspace.uris, workspace.communes, workspace.programmes)
    data.action("53053", "2020-2025", "23")   -> ActionView | None (None: no such action)
    data.commune("53053")                     -> CommuneView | None

Every path parameter is checked against a strict pattern before it becomes an IRI in a query, so a
page parameter can never change a query's shape. Links are page paths ("/commune/53053"): the data
URI's path relative to the base, the place linked-data URIs redirect to.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace

from pcs_graph.graph.reference import CommuneDirectory
from pcs_graph.graph.sheet import article20_pattern, partner_pattern
from pcs_graph.graph.uris import Uris
from pcs_graph.graph.programmes import Programmes
from pcs_graph.graph.sources import SOURCE_KIND_LABELS, kind_code
from pcs_graph.stats.counts import NO_AXIS, axis_heading
from pcs_graph.store import Store

from .views import (ActionRow, ActionView, AxisGroup, CommuneView, ConceptView, DocumentView, Link, PartnerPage,
                    PartnerView, PlanView, ProvinceView, PublicationView, SourceView)

NIS = re.compile(r"\d{5}")
PERIOD = re.compile(r"\d{4}-\d{4}")
ACTION_PERIOD = re.compile(r"\d{4}-\d{4}|undated")  # the period segment of an action's URI
KEY = re.compile(r"[a-z0-9][a-z0-9-]{0,80}")
SLUG = KEY
CODE = re.compile(r"[1-7]\.\d{1,2}\.\d{1,3}")
THEME = re.compile(r"[1-7]\.\d{1,2}")
AXIS = re.compile(r"[1-7]")

STATUS_LABELS = {"declared": "déclarée par la source", "inferred": "inférée par le classifieur",
                 "unclassified": "aucune (action non classée)"}
UNCLASSIFIED_AXIS = NO_AXIS
THEME_UNNAMED = "intitulé inconnu (ni les documents lus ni un catalogue officiel ne le donnent)"  # an action with neither a type nor a stated axis


@dataclass
class _Acc:
    """Rows of a query folded into one ActionRow per action (partners come one per row)."""

    rows: dict[str, dict] = field(default_factory=dict)
    partners: dict[str, dict[str, PartnerView]] = field(default_factory=lambda: defaultdict(dict))


def _int(value: str | None) -> int | None:
    return int(value) if value not in (None, "") else None


def _status(uri: str | None) -> str:
    if not uri:
        return "unclassified"
    name = uri.rsplit("#", 1)[-1]
    return {"Declared": "declared", "Inferred": "inferred"}.get(name, "unclassified")


# The columns every action list selects: the action, its code, axis, commune, status and partners (the
# commune's own partners where its update states some, else the documents': partner_pattern).
_ACTION_COLUMNS = """
    ?a rdfs:label ?label ; pcs:commune ?c .
    ?c pcs:nisCode ?nis ; skos:prefLabel ?commune . FILTER(lang(?commune) = "fr" || lang(?commune) = "")
    OPTIONAL { ?a pcs:actionType ?t . ?t skos:notation ?code .
               OPTIONAL { ?t skos:prefLabel ?typeLabel FILTER(lang(?typeLabel) = "fr") } }
    OPTIONAL { ?a pcs:actionType/pcs:axis/skos:notation ?axis1 }
    OPTIONAL { ?a pcs:axis ?ax2 . ?ax2 skos:notation ?n2
               BIND(IF(CONTAINS(STR(?ax2), "/axis/2014-2019/"), CONCAT("2014-2019/", ?n2), ?n2) AS ?axis2) }
    OPTIONAL { ?a pcs:classificationStatus ?status }
    OPTIONAL { """ + partner_pattern("?a", "?p", "?pg") + """ ?p rdfs:label ?pname .
               OPTIONAL { ?p pcs:partnerKind/skos:prefLabel ?pkind FILTER(lang(?pkind) = "fr") }
               OPTIONAL { """ + article20_pattern("?a", "?p20", "?pg") + """ FILTER(?p20 = ?p) } }
"""
_ACTION_VARS = "?a ?label ?nis ?commune ?code ?typeLabel ?axis1 ?axis2 ?status ?p ?pname ?pkind ?p20"


class PageData:
    def __init__(self, store: Store, uris: Uris, communes: CommuneDirectory, programmes: Programmes) -> None:
        self.store = store
        self.uris = uris
        self.directory = communes
        self.programmes = programmes

    # --- helpers ----------------------------------------------------------------------------

    def path(self, uri: str) -> str:
        """The page of a data URI: '{base}commune/53053' → '/commune/53053' (other URIs unchanged)."""
        relative = self.uris.relative(uri)
        return "/" + relative if relative is not None else uri

    def _actions(self, where: str, order: str = "?nis ?code ?label") -> tuple[ActionRow, ...]:
        rows = self.store.select(
            f"SELECT DISTINCT {_ACTION_VARS} WHERE {{ ?a a pcs:Action . {where} {_ACTION_COLUMNS} }} ORDER BY {order}"
        )
        acc = _Acc()
        for r in rows:
            a = r["a"] or ""
            acc.rows.setdefault(a, r)
            if r["p"]:
                previous = acc.partners[a].get(r["p"])
                acc.partners[a][r["p"]] = PartnerView(
                    self.path(r["p"]), r["pname"] or "", r["pkind"] or (previous.kind if previous else None),
                    bool(r["p20"]) or bool(previous and previous.article20))
        return tuple(self._row(a, r, tuple(acc.partners[a].values())) for a, r in acc.rows.items())

    def _row(self, a: str, r: dict, partners: tuple[PartnerView, ...]) -> ActionRow:
        return ActionRow(
            path=self.path(a), label=r["label"] or "", code=r["code"], type_label=r["typeLabel"],
            axis=r["axis1"] or r["axis2"] or UNCLASSIFIED_AXIS,
            commune=Link(f"/commune/{r['nis']}", r["commune"] or r["nis"] or ""), nis=r["nis"] or "",
            status=_status(r["status"]), partners=partners,
        )

    def _sources(self, where: str) -> tuple[SourceView, ...]:
        rows = self.store.select(f"""
            SELECT DISTINCT ?d ?file ?title ?parser ?number ?status ?printed ?u WHERE {{ {where}
              ?d a pcs:SourceDocument . OPTIONAL {{ ?d pcs:fileName ?file }}
              OPTIONAL {{ ?d dcterms:title ?title }} OPTIONAL {{ ?d pcs:parser ?parser }}
              OPTIONAL {{ ?d pcs:documentNumber ?number }} OPTIONAL {{ ?d pcs:documentStatus ?status }}
              OPTIONAL {{ ?d pcs:printDate ?printed }} OPTIONAL {{ ?d dcterms:source ?u }} }} ORDER BY ?file""")
        publications = self._publication_views([r["u"] for r in rows if r["u"]])
        return tuple(SourceView(self.path(r["d"] or ""), r["file"] or r["d"] or "", r["title"], r["parser"],
                                publication=publications.get(r["u"] or ""), number=r["number"], status=r["status"],
                                printed_on=r["printed"]) for r in rows)

    def _publications(self, where: str) -> tuple[PublicationView, ...]:
        """The publications the actions matching `where` were read from, newest first."""
        rows = self.store.select(f"SELECT DISTINCT ?u WHERE {{ {where} ?a dcterms:source ?u }}")
        views = self._publication_views([r["u"] for r in rows if r["u"]])
        return tuple(sorted(views.values(), key=lambda v: (v.issued or "", v.url), reverse=True))

    def _publication_views(self, urls: list[str]) -> dict[str, PublicationView]:
        if not urls:
            return {}
        values = " ".join(f"<{u}>" for u in sorted(set(urls)))
        rows = self.store.select(f"""
            SELECT ?u ?kind ?title ?publisher ?issued WHERE {{ VALUES ?u {{ {values} }} ?u dcterms:type ?kind .
              OPTIONAL {{ ?u dcterms:title ?title }} OPTIONAL {{ ?u dcterms:publisher ?publisher }}
              OPTIONAL {{ ?u dcterms:issued ?issued }} }}""")
        views = {}
        for r in rows:
            code = kind_code(r["kind"] or "") or ""
            views[r["u"] or ""] = PublicationView(r["u"] or "", code, SOURCE_KIND_LABELS.get(code, code), r["title"],
                                                  r["publisher"], r["issued"])
        return views

    def axis_labels(self) -> dict[str, str]:
        """Axis labels by the keys of counts.actions_per_axis: '5', and '2014-2019/4' for the old scheme."""
        rows = self.store.select("""
            SELECT ?ax ?n ?l WHERE { ?ax a pcs:Axis ; skos:notation ?n ; skos:prefLabel ?l .
              FILTER(lang(?l) = "fr" || lang(?l) = "") }""")
        return {("2014-2019/" if "/axis/2014-2019/" in (r["ax"] or "") else "") + (r["n"] or ""): r["l"] or ""
                for r in rows}

    # --- pages ------------------------------------------------------------------------------

    def action(self, nis: str, period: str, key: str) -> ActionView | None:
        if not (NIS.fullmatch(nis) and ACTION_PERIOD.fullmatch(period) and KEY.fullmatch(key)):
            return None
        uri = str(self.uris.action(nis, period, key))
        rows = self._actions(f"FILTER(?a = <{uri}>)")
        if not rows:
            return None
        detail = self.store.select(f"""
            SELECT ?desc ?codePrinted ?score ?method ?axisScore ?plan ?prog ?d ?line ?page ?text ?province
                   ?theme ?themeCode ?themeLabel ?t ?ax ?u ?citation ?heading WHERE {{
              BIND(<{uri}> AS ?a)
              ?a pcs:commune/pcs:province/skos:prefLabel ?province .
              OPTIONAL {{ ?a pcs:plan ?plan . OPTIONAL {{ ?plan pcs:programme/skos:notation ?prog }} }}
              OPTIONAL {{ ?a dcterms:source ?u }} OPTIONAL {{ ?a dcterms:bibliographicCitation ?citation }}
              OPTIONAL {{ ?a pcs:sourceHeading ?heading }}
              OPTIONAL {{ ?a dcterms:description ?desc }} OPTIONAL {{ ?a pcs:codeAsPrinted ?codePrinted }}
              OPTIONAL {{ ?a pcs:classificationScore ?score }} OPTIONAL {{ ?a pcs:classificationMethod ?method }}
              OPTIONAL {{ ?a pcs:axisStatus pcs:Inferred ; pcs:axisScore ?axisScore }}
              OPTIONAL {{ ?a prov:wasDerivedFrom ?d }} OPTIONAL {{ ?a pcs:sourceLine ?line }}
              OPTIONAL {{ ?a pcs:sourcePage ?page }} OPTIONAL {{ ?a pcs:sourceText ?text }}
              OPTIONAL {{ ?a pcs:actionType ?t . ?t pcs:theme ?theme . ?theme skos:notation ?themeCode .
                          OPTIONAL {{ ?theme skos:prefLabel ?themeLabel FILTER(lang(?themeLabel) = "fr") }} }}
              OPTIONAL {{ {{ ?a pcs:actionType/pcs:axis ?ax }} UNION {{ ?a pcs:axis ?ax }} }}
            }} LIMIT 1""")[0]
        axis_label = None
        if detail["ax"]:
            found = self.store.select(f'SELECT ?l WHERE {{ <{detail["ax"]}> skos:prefLabel ?l }} LIMIT 1')
            axis_label = found[0]["l"] if found else None
        publics = self.store.select(f"SELECT ?p WHERE {{ <{uri}> pcs:targetPublic ?p }} ORDER BY ?p")
        source = None
        if detail["d"]:
            doc = self._sources(f"FILTER(?d = <{detail['d']}>)")
            if doc:
                source = replace(doc[0], line=_int(detail["line"]), page=_int(detail["page"]), text=detail["text"])
        return ActionView(
            uri=uri, row=rows[0], description=detail["desc"],
            target_publics=tuple(p["p"] or "" for p in publics),
            axis_label=axis_label, axis_path=self.path(detail["ax"]) if detail["ax"] else None,
            theme=Link(self.path(detail["theme"]), f"{detail['themeCode']} — {detail['themeLabel']}"
                       if detail["themeLabel"] else f"{detail['themeCode']} — {THEME_UNNAMED}")
            if detail["theme"] else None,
            type_path=self.path(detail["t"]) if detail["t"] else None,
            plan_path=self.path(detail["plan"]) if detail["plan"] else None,
            programme=self.programmes.display(detail["prog"] or period),
            province=detail["province"] or "", code_as_printed=detail["codePrinted"],
            score=float(detail["score"]) if detail["score"] else None, method=detail["method"], source=source,
            publication=self._publication_views([detail["u"]]).get(detail["u"]) if detail["u"] else None,
            citation=detail["citation"], heading=detail["heading"],
            axis_score=float(detail["axisScore"]) if detail["axisScore"] else None,
        )

    def commune(self, nis: str) -> CommuneView | None:
        commune = self.directory.by_nis(nis) if NIS.fullmatch(nis) else None
        if commune is None or commune.nis != nis:
            return None
        c = str(self.uris.commune(nis))
        actions = self._actions(f"?a pcs:commune <{c}> .", order="?code ?label")
        labels = self.axis_labels()
        by_axis: dict[str, list[ActionRow]] = defaultdict(list)
        for a in actions:
            by_axis[a.axis].append(a)
        groups = tuple(AxisGroup(ax, axis_heading(ax, labels.get(ax, "")), tuple(by_axis[ax]))
                       for ax in sorted(by_axis, key=lambda x: (x == UNCLASSIFIED_AXIS, "/" in x, x)))
        partners: dict[str, tuple[PartnerView, int]] = {}
        for a in actions:
            for p in a.partners:
                seen = partners.get(p.path)
                partners[p.path] = (PartnerView(p.path, p.name, p.kind, p.article20 or bool(seen and seen[0].article20)),
                                    (seen[1] if seen else 0) + 1)
        without = self.store.select(
            f"SELECT ?prog WHERE {{ <{c}> pcs:withoutPlanIn/skos:notation ?prog }} ORDER BY ?prog")
        return CommuneView(
            commune=commune, province_path=f"/province/{commune.province_nis}", plans=self._plans(c),
            without_plan_in=tuple(r["prog"] or "" for r in without), groups=groups,
            partners=tuple(sorted(partners.values(), key=lambda pc: (-pc[1], pc[0].name))),
            sources=self._sources(f"?a pcs:commune <{c}> ; prov:wasDerivedFrom ?d ."),
            inferred=sum(1 for a in actions if a.status == "inferred"),
            publications=self._publications(f"?a a pcs:Action ; pcs:commune <{c}> ."),
        )

    def _plans(self, commune_uri: str) -> tuple[PlanView, ...]:
        rows = self.store.select(f"""
            SELECT ?plan ?prog ?lead ?leadName ?member ?memberName ?cpas ?src WHERE {{
              ?plan a pcs:Plan ; pcs:commune <{commune_uri}> ; pcs:programme/skos:notation ?prog ;
                    pcs:leadCommune ?lead . ?lead skos:prefLabel ?leadName FILTER(lang(?leadName) = "fr")
              OPTIONAL {{ ?plan pcs:commune ?member FILTER(?member != ?lead)
                          ?member skos:prefLabel ?memberName FILTER(lang(?memberName) = "fr") }}
              OPTIONAL {{ ?plan pcs:delegatedToCPAS ?cpas }} OPTIONAL {{ ?plan dcterms:source ?src }}
            }} ORDER BY ?prog ?memberName""")
        plans: dict[str, dict] = {}
        for r in rows:
            p = plans.setdefault(r["plan"] or "", {"prog": r["prog"], "lead": Link(self.path(r["lead"] or ""),
                                 r["leadName"] or ""), "members": {}, "cpas": False, "src": set()})
            if r["member"]:
                p["members"][r["member"]] = Link(self.path(r["member"]), r["memberName"] or "")
            p["cpas"] = p["cpas"] or r["cpas"] in ("true", "1")
            if r["src"]:
                p["src"].add(r["src"])
        views = []
        for uri, p in plans.items():
            subsidies = self.store.select(f"""
                SELECT ?year ?amount ?kind ?src WHERE {{ <{uri}> pcs:subsidy ?s . ?s pcs:year ?year ; schema:amount ?amount .
                  OPTIONAL {{ ?s pcs:beneficiaryKind ?kind }} OPTIONAL {{ ?s dcterms:source ?src }} }} ORDER BY ?year""")
            p["src"].update(s["src"] for s in subsidies if s["src"])
            views.append(PlanView(
                programme=p["prog"] or "", label=self.programmes.display(p["prog"] or ""), lead=p["lead"], communes=tuple(p["members"].values()),
                delegated_to_cpas=p["cpas"],
                subsidies=tuple((s["year"] or "", float(s["amount"] or 0), s["kind"] or "") for s in subsidies),
                sources=tuple(sorted(p["src"])),
            ))
        return tuple(views)

    def action_type(self, code: str) -> ConceptView | None:
        if not CODE.fullmatch(code):
            return None
        t = str(self.uris.action_type(code))
        rows = self.store.select(f"""
            SELECT ?label ?official ?theme ?themeCode ?themeLabel ?ax ?axisN ?axisLabel WHERE {{
              <{t}> a pcs:ActionType . OPTIONAL {{ <{t}> skos:prefLabel ?label FILTER(lang(?label) = "fr") }}
              OPTIONAL {{ <{t}> pcs:official ?official }}
              OPTIONAL {{ <{t}> pcs:theme ?theme . ?theme skos:notation ?themeCode .
                          OPTIONAL {{ ?theme skos:prefLabel ?themeLabel FILTER(lang(?themeLabel) = "fr") }} }}
              OPTIONAL {{ <{t}> pcs:axis ?ax . ?ax skos:notation ?axisN ; skos:prefLabel ?axisLabel }}
            }} LIMIT 1""")
        if not rows:
            return None
        r = rows[0]
        broader = []
        if r["ax"]:
            broader.append(Link(self.path(r["ax"]), f"Axe {r['axisN']} — {r['axisLabel']}"))
        if r["theme"]:
            broader.append(Link(self.path(r["theme"]), f"Thème {r['themeCode']} — {r['themeLabel'] or THEME_UNNAMED}"))
        return ConceptView(
            kind="action-type", code=code, label=r["label"], broader=tuple(broader), narrower=(),
            official=r["official"] in ("true", "1"),
            learned_from=self._sources(f"<{t}> pcs:learnedFrom ?d ."),
            actions=self._actions(f"?a pcs:actionType <{t}> ."),
            sources=self._sources(f"?a pcs:actionType <{t}> ; prov:wasDerivedFrom ?d ."),
        )

    def theme(self, code: str) -> ConceptView | None:
        if not THEME.fullmatch(code):
            return None
        th = str(self.uris.theme(code))
        rows = self.store.select(f"""
            SELECT ?label ?official ?ax ?axisN ?axisLabel WHERE {{
              <{th}> a pcs:Theme . OPTIONAL {{ <{th}> skos:prefLabel ?label FILTER(lang(?label) = "fr") }}
              OPTIONAL {{ <{th}> pcs:official ?official }}
              OPTIONAL {{ <{th}> pcs:axis ?ax . ?ax skos:notation ?axisN ; skos:prefLabel ?axisLabel }}
            }} LIMIT 1""")
        if not rows:
            return None
        r = rows[0]
        return ConceptView(
            kind="theme", code=code, label=r["label"],
            broader=(Link(self.path(r["ax"]), f"Axe {r['axisN']} — {r['axisLabel']}"),) if r["ax"] else (),
            narrower=self._narrower(f"?n pcs:theme <{th}> ."), official=r["official"] in ("true", "1"),
            learned_from=self._sources(f"<{th}> pcs:learnedFrom ?d ."),
            actions=self._actions(f"?a pcs:actionType/pcs:theme <{th}> ."),
            sources=self._sources(f"?a pcs:actionType/pcs:theme <{th}> ; prov:wasDerivedFrom ?d ."),
        )

    def axis(self, number: str) -> ConceptView | None:
        if not AXIS.fullmatch(number):
            return None
        ax = str(self.uris.axis(number))
        rows = self.store.select(f"""
            SELECT ?label WHERE {{ <{ax}> a pcs:Axis ; skos:prefLabel ?label FILTER(lang(?label) = "fr") }} LIMIT 1""")
        if not rows:
            return None
        rights = self.store.select(f"""
            SELECT ?l WHERE {{ <{ax}> pcs:right ?r . ?r skos:prefLabel ?l ; skos:notation ?n }} ORDER BY ?n""")
        return ConceptView(
            kind="axis", code=number, label=rows[0]["label"], broader=(),
            narrower=self._narrower(f"?n a pcs:Theme ; pcs:axis <{ax}> ."), official=True, learned_from=(),
            actions=self._actions(f"{{ ?a pcs:actionType/pcs:axis <{ax}> }} UNION {{ ?a pcs:axis <{ax}> }}"),
            sources=self._sources(f"{{ ?a pcs:actionType/pcs:axis <{ax}> }} UNION {{ ?a pcs:axis <{ax}> }} "
                                  "?a prov:wasDerivedFrom ?d ."),
            rights=tuple(r["l"] or "" for r in rights),
        )

    def _narrower(self, where: str) -> tuple[tuple[Link, int], ...]:
        rows = self.store.select(f"""
            SELECT ?n ?code (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?a) AS ?count) WHERE {{ {where}
              ?n skos:notation ?code . OPTIONAL {{ ?n skos:prefLabel ?l FILTER(lang(?l) = "fr") }}
              OPTIONAL {{ {{ ?a pcs:actionType ?n }} UNION {{ ?a pcs:actionType/pcs:theme ?n }} }}
            }} GROUP BY ?n ?code""")
        rows.sort(key=lambda r: [int(x) for x in (r["code"] or "0").split(".")])
        return tuple((Link(self.path(r["n"] or ""), f"{r['code']}" + (f" — {r['label']}" if r["label"] else "")),
                      int(r["count"] or 0)) for r in rows)

    def partner(self, slug: str) -> PartnerPage | None:
        if not SLUG.fullmatch(slug):
            return None
        p = f"{self.uris.base}partner/{slug}"
        rows = self.store.select(f"""
            SELECT ?name ?kind WHERE {{ <{p}> a pcs:Partner ; rdfs:label ?name .
              OPTIONAL {{ <{p}> pcs:partnerKind/skos:prefLabel ?kind FILTER(lang(?kind) = "fr") }} }} LIMIT 1""")
        if not rows:
            return None
        partnered = partner_pattern("?a", f"<{p}>", "?thisPartnerGraph")
        actions = self._actions(partnered)
        return PartnerPage(
            path=f"/partner/{slug}", name=rows[0]["name"] or slug, kind=rows[0]["kind"], actions=actions,
            article20_actions=sum(1 for a in actions for x in a.partners if x.path.endswith(f"/{slug}") and x.article20),
            sources=self._sources(f"{partnered} ?a prov:wasDerivedFrom ?d ."),
        )

    def document(self, slug: str) -> DocumentView | None:
        if not SLUG.fullmatch(slug):
            return None
        d = f"{self.uris.base}document/{slug}"
        sources = self._sources(f"FILTER(?d = <{d}>)")
        if not sources:
            return None
        digest = self.store.select(f"SELECT ?h WHERE {{ <{d}> pcs:contentHash ?h }} LIMIT 1")
        return DocumentView(path=f"/document/{slug}", source=sources[0],
                            content_hash=digest[0]["h"] if digest else None,
                            actions=self._actions(f"?a prov:wasDerivedFrom <{d}> .", order="?nis ?a"))

    def province(self, nis: str) -> ProvinceView | None:
        communes = [c for c in self.directory.communes if c.province_nis == nis] if NIS.fullmatch(nis) else []
        if not communes:
            return None
        counts = self.actions_per_commune()
        return ProvinceView(nis, communes[0].province,
                            tuple(sorted(((c, counts.get(c.nis, 0)) for c in communes), key=lambda cn: cn[0].name)))

    def actions_per_commune(self, where: str = "") -> dict[str, int]:
        rows = self.store.select(f"""
            SELECT ?nis (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a a pcs:Action ; pcs:commune/pcs:nisCode ?nis . {where} }}
            GROUP BY ?nis""")
        return {r["nis"] or "": int(r["n"] or 0) for r in rows}

    def sources_overview(self) -> tuple[SourceView, ...]:
        return self._sources("")
