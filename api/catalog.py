"""The JSON API's reads: SPARQL on the store → the response models of api/schemas.py.

    catalog = Catalog(store, uris)
    catalog.commune("53053")            -> CommuneDetail (ResourceNotFound if no such commune)
    catalog.communes(province="Hainaut") -> list[CommuneSummary]

Identifiers from the URL are matched against strict patterns before they become IRIs, so a
parameter never changes a query's shape. All methods are blocking: call them off the event loop.
"""

from __future__ import annotations

import re
from collections import defaultdict

from pcs_graph.graph.sheet import article20_pattern, partner_pattern
from pcs_graph.graph.uris import Uris
from pcs_graph.stats import counts as pcs_stats
from pcs_graph.store import Row, Store

from .errors import InvalidParameter, ResourceNotFound
from .sheets import current_action_sheet, publication_dates
from .schemas import (
    ActionDetail,
    ActionSummary,
    ActionTypeDetail,
    ActionTypeSummary,
    AxisActions,
    CommuneCount,
    CommuneDetail,
    CommuneSummary,
    CountRow,
    Partner,
    PartnerCount,
    PartnerDetail,
    PartnerSummary,
    SizeBand,
    Stats,
)

NIS = re.compile(r"\d{5}")
CODE = re.compile(r"[1-7]\.\d{1,2}\.\d{1,3}")
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,120}")
ACTION_PATH = re.compile(r"\d{5}/(?:\d{4}-\d{4}|undated)/[a-z0-9][a-z0-9-]{0,120}")
KINDS = ("ASBL", "CPAS", "CommuneService", "PublicBody", "School", "OtherPartner")
STATUSES = {"Declared": "declared", "Inferred": "inferred", "Unclassified": "unclassified"}

# Commune size bands (population on 2015-01-01, Statbel): chosen to split Wallonia's 262 communes
# into rural villages, small towns, towns and the cities (Charleroi, Liège, Namur, Mons, ...).
SIZE_BANDS = [
    ("lt10k", "moins de 10 000 habitants", 0, 9_999),
    ("10k-25k", "10 000 à 24 999 habitants", 10_000, 24_999),
    ("25k-50k", "25 000 à 49 999 habitants", 25_000, 49_999),
    ("ge50k", "50 000 habitants et plus", 50_000, None),
]


def size_band(population: int | None) -> str | None:
    if population is None:
        return None
    for key, _, low, high in SIZE_BANDS:
        if population >= low and (high is None or population <= high):
            return key
    return None


def _int(value: str | None) -> int | None:
    return int(value) if value not in (None, "") else None


def _float(value: str | None) -> float | None:
    return float(value) if value not in (None, "") else None


def code_key(code: str) -> tuple[int, ...]:
    return tuple(int(p) for p in code.split(".") if p.isdigit())


class Catalog:
    def __init__(self, store: Store, uris: Uris) -> None:
        self.store = store
        self.uris = uris

    def _path(self, uri: str) -> str:
        return self.uris.relative(uri) or uri

    # --- actions ------------------------------------------------------------------------------

    def _actions(self, where: str) -> list[ActionSummary]:
        """Actions matching `where` (a pattern on ?a), each once, with their partners."""
        rows = self.store.select(f"""
            SELECT ?a ?label ?code ?typeLabel ?axis ?nis ?commune ?programme ?status ?source ?publication ?kind WHERE {{
              {where}
              ?a a pcs:Action ; rdfs:label ?label ; pcs:commune ?c .
              ?c pcs:nisCode ?nis ; skos:prefLabel ?commune .
              OPTIONAL {{ ?a pcs:plan/pcs:programme/skos:notation ?programme }}
              OPTIONAL {{ ?a pcs:actionType ?t . ?t skos:notation ?code . OPTIONAL {{ ?t skos:prefLabel ?typeLabel }} }}
              OPTIONAL {{ ?a pcs:axis/skos:notation ?axis1 }}
              OPTIONAL {{ ?a pcs:actionType/pcs:axis/skos:notation ?axis2 }}
              BIND(COALESCE(?axis2, ?axis1) AS ?axis)
              OPTIONAL {{ ?a pcs:classificationStatus ?status }}
              OPTIONAL {{ ?a prov:wasDerivedFrom ?source }}
              OPTIONAL {{ ?a dcterms:source ?publication . OPTIONAL {{ ?publication dcterms:type/skos:notation ?kind }} }}
            }}""")
        partners = self._partners_of(where)
        seen: dict[str, ActionSummary] = {}
        for r in rows:
            uri = r["a"] or ""
            if uri in seen:
                continue
            seen[uri] = ActionSummary(
                uri=uri, path=self._path(uri), label=r["label"] or "", code=r["code"],
                action_type_label=r["typeLabel"], axis=_int(r["axis"]), nis=r["nis"] or "",
                commune=r["commune"] or "", programme=r["programme"], status=self._status(r["status"], r["code"]),
                source=r["source"], publication=r["publication"], source_kind=r["kind"],
                partners=partners.get(uri, []))
        return sorted(seen.values(), key=lambda a: (a.nis, code_key(a.code) if a.code else (99,), a.label))

    def _status(self, uri: str | None, code: str | None) -> str:
        if uri:
            return STATUSES.get(uri.rsplit("#", 1)[-1], "unclassified")
        return "declared" if code else "unclassified"

    def _partners_of(self, where: str) -> dict[str, list[Partner]]:
        rows = self.store.select(f"""
            SELECT ?a ?p ?name ?kind ?art20 WHERE {{
              {where}
              ?a a pcs:Action . {partner_pattern("?a", "?p", "?pg")} ?p rdfs:label ?name .
              OPTIONAL {{ ?p pcs:partnerKind ?kind }}
              BIND(EXISTS {{ {article20_pattern("?a", "?p", "?pg")} }} AS ?art20)
            }}""")
        out: dict[str, dict[str, Partner]] = defaultdict(dict)
        for r in rows:
            p = r["p"] or ""
            out[r["a"] or ""].setdefault(p, Partner(
                uri=p, slug=self._path(p).removeprefix("partner/"), name=r["name"] or "",
                kind=(r["kind"] or "").rsplit("#", 1)[-1] or None, article20=r["art20"] == "true"))
        return {a: sorted(ps.values(), key=lambda p: p.name.lower()) for a, ps in out.items()}

    def action(self, path: str) -> ActionDetail:
        if not ACTION_PATH.fullmatch(path):
            raise ResourceNotFound(f"action inconnue : {path!r} (attendu : NIS/période/clé, ex. 53053/2020-2025/23)")
        uri = self.uris.action(*path.split("/"))
        found = self._actions(f"VALUES ?a {{ <{uri}> }}")
        if not found:
            raise ResourceNotFound(f"aucune action {path!r} dans le graphe")
        rows = self.store.select(f"""
            SELECT ?description ?public ?printed ?score ?method ?plan ?file ?line ?page ?text WHERE {{
              VALUES ?a {{ <{uri}> }}
              OPTIONAL {{ ?a dcterms:description ?description }}
              OPTIONAL {{ ?a pcs:targetPublic ?public }}
              OPTIONAL {{ ?a pcs:codeAsPrinted ?printed }}
              OPTIONAL {{ ?a pcs:classificationScore ?score }}
              OPTIONAL {{ ?a pcs:classificationMethod ?method }}
              OPTIONAL {{ ?a pcs:plan ?plan }}
              OPTIONAL {{ ?a prov:wasDerivedFrom/pcs:fileName ?file }}
              OPTIONAL {{ ?a pcs:sourceLine ?line }}
              OPTIONAL {{ ?a pcs:sourcePage ?page }}
              OPTIONAL {{ ?a pcs:sourceText ?text }}
            }}""")
        first = rows[0] if rows else {}
        return ActionDetail(
            **found[0].model_dump(),
            description=first.get("description"),
            target_public=sorted({r["public"] for r in rows if r.get("public")}),
            code_as_printed=first.get("printed"), classification_score=_float(first.get("score")),
            classification_method=first.get("method"), plan=first.get("plan"), source_file=first.get("file"),
            source_line=_int(first.get("line")), source_page=_int(first.get("page")), source_text=first.get("text"),
            sheet=current_action_sheet(self.store, self.uris, str(uri)),
            publication_date=publication_dates(self.store, [found[0].publication]).get(found[0].publication or "")
            if found[0].publication else None)

    # --- communes -----------------------------------------------------------------------------

    def _commune_rows(self, where: str = "") -> list[Row]:
        return self.store.select(f"""
            SELECT ?c ?nis ?name ?province ?provinceNis ?population ?lat ?lon ?klass ?density
                   (COUNT(DISTINCT ?a) AS ?actions) WHERE {{
              {where}
              ?c a pcs:Commune ; pcs:nisCode ?nis ; skos:prefLabel ?name ; pcs:province ?p .
              ?p skos:prefLabel ?province ; pcs:nisCode ?provinceNis .
              OPTIONAL {{ ?c pcs:population ?population }}
              OPTIONAL {{ ?c schema:latitude ?lat ; schema:longitude ?lon }}
              OPTIONAL {{ ?c pcs:urbanRuralClass/skos:notation ?klass }} OPTIONAL {{ ?c pcs:populationDensity ?density }}
              OPTIONAL {{ ?a a pcs:Action ; pcs:commune ?c }}
            }} GROUP BY ?c ?nis ?name ?province ?provinceNis ?population ?lat ?lon ?klass ?density""")

    def _commune_summary(self, r: Row) -> CommuneSummary:
        population = _int(r["population"])
        return CommuneSummary(uri=r["c"] or "", nis=r["nis"] or "", name=r["name"] or "", province=r["province"] or "",
                              province_nis=r["provinceNis"] or "", population=population,
                              size_band=size_band(population), urban_rural=r.get("klass"),
                              density=_float(r.get("density")), actions=int(r["actions"] or 0))

    def provinces(self) -> dict[str, str]:
        """Province NIS code → name."""
        rows = self.store.select("SELECT ?nis ?name WHERE { ?p a pcs:Province ; pcs:nisCode ?nis ; skos:prefLabel ?name }")
        return {r["nis"] or "": r["name"] or "" for r in rows}

    def _province_nis(self, province: str) -> str:
        provinces = self.provinces()
        wanted = province.strip().casefold()
        for nis, name in provinces.items():
            if wanted in (nis, name.casefold()):
                return nis
        raise InvalidParameter(f"province inconnue : {province!r} (provinces : {', '.join(sorted(provinces.values()))})")

    def communes(self, province: str | None = None, with_actions: bool | None = None) -> list[CommuneSummary]:
        communes = [self._commune_summary(r) for r in self._commune_rows()]
        if province:
            nis = self._province_nis(province)
            communes = [c for c in communes if c.province_nis == nis]
        if with_actions is not None:
            communes = [c for c in communes if (c.actions > 0) == with_actions]
        return sorted(communes, key=lambda c: c.name)

    def commune(self, nis: str) -> CommuneDetail:
        if not NIS.fullmatch(nis):
            raise ResourceNotFound(f"code NIS invalide : {nis!r} (5 chiffres, ex. 53053)")
        uri = self.uris.commune(nis)
        rows = self._commune_rows(f"VALUES ?c {{ <{uri}> }}")
        if not rows:
            raise ResourceNotFound(f"aucune commune de code NIS {nis}")
        r = rows[0]
        actions = self._actions(f"?a pcs:commune <{uri}> .")
        axis_labels = self._axis_labels()
        groups: dict[int | None, list[ActionSummary]] = defaultdict(list)
        for a in actions:
            groups[a.axis].append(a)
        axes = [AxisActions(axis=n, label=axis_labels.get(n, "non classées") if n else "non classées", actions=acts)
                for n, acts in sorted(groups.items(), key=lambda kv: kv[0] or 99)]
        plans = [p["plan"] or "" for p in self.store.select(
            f"SELECT DISTINCT ?plan WHERE {{ ?plan a pcs:Plan ; pcs:commune <{uri}> }} ORDER BY ?plan")]
        partners: dict[str, PartnerCount] = {}
        for a in actions:
            for p in a.partners:
                prev = partners.get(p.uri)
                partners[p.uri] = PartnerCount(uri=p.uri, slug=p.slug, name=p.name, kind=p.kind,
                                               actions=(prev.actions if prev else 0) + 1,
                                               article20=p.article20 or bool(prev and prev.article20))
        comparable = [c["nis"] or "" for c in self.store.select(
            f"SELECT ?nis WHERE {{ <{uri}> pcs:comparableTo/pcs:nisCode ?nis }}")]
        return CommuneDetail(**self._commune_summary(r).model_dump(), latitude=_float(r["lat"]),
                             longitude=_float(r["lon"]), plans=plans, axes=axes, comparable=sorted(comparable),
                             partners=sorted(partners.values(), key=lambda p: (-p.actions, p.name.lower())))

    def _axis_labels(self) -> dict[int, str]:
        rows = self.store.select("""SELECT ?n ?label WHERE { ?x a pcs:Axis ; skos:notation ?n ; skos:prefLabel ?label
                                    FILTER(!STRSTARTS(STRAFTER(STR(?x), "/axis/"), "2014")) }""")
        return {int(r["n"]): r["label"] or "" for r in rows if (r["n"] or "").isdigit()}

    # --- action types -------------------------------------------------------------------------

    def _type_rows(self, where: str = "") -> list[ActionTypeSummary]:
        rows = self.store.select(f"""
            SELECT ?t ?code (SAMPLE(?l) AS ?label) ?axis ?theme (COUNT(DISTINCT ?a) AS ?actions)
                   (COUNT(DISTINCT ?c) AS ?communes) WHERE {{
              {where}
              ?t a pcs:ActionType ; skos:notation ?code ; pcs:axis/skos:notation ?axis ; pcs:theme/skos:notation ?theme .
              OPTIONAL {{ ?t skos:prefLabel ?l }}
              OPTIONAL {{ ?a pcs:actionType ?t ; pcs:commune ?c }}
            }} GROUP BY ?t ?code ?axis ?theme""")
        types = [ActionTypeSummary(uri=r["t"] or "", code=r["code"] or "", label=r["label"], axis=int(r["axis"] or 0),
                                   theme=r["theme"] or "", actions=int(r["actions"] or 0),
                                   communes=int(r["communes"] or 0)) for r in rows]
        return sorted(types, key=lambda t: code_key(t.code))

    def action_types(self, axis: int | None = None, theme: str | None = None,
                     with_actions: bool | None = None) -> list[ActionTypeSummary]:
        types = self._type_rows()
        if axis is not None:
            types = [t for t in types if t.axis == axis]
        if theme:
            types = [t for t in types if t.theme == theme]
        if with_actions is not None:
            types = [t for t in types if (t.actions > 0) == with_actions]
        return types

    def action_type(self, code: str) -> ActionTypeDetail:
        if not CODE.fullmatch(code):
            raise ResourceNotFound(f"code de type d'action invalide : {code!r} (axe.thème.action, ex. 5.5.01)")
        uri = self.uris.action_type(code)
        found = self._type_rows(f"VALUES ?t {{ <{uri}> }}")
        if not found:
            raise ResourceNotFound(f"aucun type d'action {code} dans la nomenclature")
        labels = self.store.select(f"""SELECT ?axisLabel ?themeLabel WHERE {{
            <{uri}> pcs:axis ?x ; pcs:theme ?th . OPTIONAL {{ ?x skos:prefLabel ?axisLabel }}
            OPTIONAL {{ ?th skos:prefLabel ?themeLabel }} }} LIMIT 1""")
        actions = self._actions(f"?a pcs:actionType <{uri}> .")
        return ActionTypeDetail(**found[0].model_dump(),
                                axis_label=labels[0]["axisLabel"] if labels else None,
                                theme_label=labels[0]["themeLabel"] if labels else None,
                                communes_running=self._communes_of(f"?a pcs:actionType <{uri}> ."),
                                action_list=actions)

    def _communes_of(self, where: str) -> list[CommuneCount]:
        rows = self.store.select(f"""
            SELECT ?c ?nis ?name ?province ?lat ?lon (COUNT(DISTINCT ?a) AS ?actions) WHERE {{
              {where}
              ?a a pcs:Action ; pcs:commune ?c .
              ?c pcs:nisCode ?nis ; skos:prefLabel ?name ; pcs:province/skos:prefLabel ?province .
              OPTIONAL {{ ?c schema:latitude ?lat ; schema:longitude ?lon }}
            }} GROUP BY ?c ?nis ?name ?province ?lat ?lon ORDER BY ?name""")
        return [CommuneCount(uri=r["c"] or "", nis=r["nis"] or "", name=r["name"] or "", province=r["province"] or "",
                             latitude=_float(r["lat"]), longitude=_float(r["lon"]), actions=int(r["actions"] or 0))
                for r in rows]

    # --- partners -----------------------------------------------------------------------------

    def _partner_rows(self, where: str = "") -> list[PartnerSummary]:
        rows = self.store.select(f"""
            SELECT ?p ?name ?kind (COUNT(DISTINCT ?a) AS ?actions) (COUNT(DISTINCT ?c) AS ?communes)
                   (COUNT(DISTINCT ?a20) AS ?art20) WHERE {{
              {where}
              ?p a pcs:Partner ; rdfs:label ?name .
              OPTIONAL {{ ?p pcs:partnerKind ?kind }}
              OPTIONAL {{ {partner_pattern("?a", "?p", "?pg")} ?a pcs:commune ?c .
                         OPTIONAL {{ {article20_pattern("?a", "?p", "?pg")} BIND(?a AS ?a20) }} }}
            }} GROUP BY ?p ?name ?kind""")
        seen: dict[str, PartnerSummary] = {}
        for r in rows:
            p = r["p"] or ""
            seen.setdefault(p, PartnerSummary(
                uri=p, slug=self._path(p).removeprefix("partner/"), name=r["name"] or "",
                kind=(r["kind"] or "").rsplit("#", 1)[-1] or None, actions=int(r["actions"] or 0),
                communes=int(r["communes"] or 0), article20_actions=int(r["art20"] or 0)))
        return sorted(seen.values(), key=lambda p: p.name.casefold())

    def partners(self, kind: str | None = None, article20: bool | None = None, min_communes: int = 0,
                 q: str | None = None) -> list[PartnerSummary]:
        if kind and kind not in KINDS:
            raise InvalidParameter(f"type de partenaire inconnu : {kind!r} ({', '.join(KINDS)})")
        partners = self._partner_rows()
        if kind:
            partners = [p for p in partners if p.kind == kind]
        if article20 is not None:
            partners = [p for p in partners if (p.article20_actions > 0) == article20]
        if min_communes:
            partners = [p for p in partners if p.communes >= min_communes]
        if q:
            needle = q.casefold()
            partners = [p for p in partners if needle in p.name.casefold()]
        return partners

    def partner(self, slug: str) -> PartnerDetail:
        if not SLUG.fullmatch(slug):
            raise ResourceNotFound(f"identifiant de partenaire invalide : {slug!r} (ex. asbl-pourquoi-pas-toi)")
        uri = f"{self.uris.base}partner/{slug}"
        found = self._partner_rows(f"VALUES ?p {{ <{uri}> }}")
        if not found:
            raise ResourceNotFound(f"aucun partenaire {slug!r} dans le graphe")
        where = partner_pattern("?a", f"<{uri}>", "?thisPartnerGraph")  # the commune's word where it states some
        return PartnerDetail(**found[0].model_dump(), communes_list=self._communes_of(where),
                             action_list=self._actions(where))

    # --- statistics ---------------------------------------------------------------------------

    def stats(self) -> Stats:
        def rows(counts: list[pcs_stats.Count]) -> list[CountRow]:
            return [CountRow(key=c.key, label=c.label, actions=c.actions, share=round(c.share, 4), declared=c.declared,
                             stated=c.stated, inferred=c.inferred) for c in counts]

        communes = [self._commune_summary(r) for r in self._commune_rows()]
        total_actions = sum(c.actions for c in communes) or 1
        bands = []
        for key, label, low, high in SIZE_BANDS:
            members = [c for c in communes if c.size_band == key]
            actions = sum(c.actions for c in members)
            bands.append(SizeBand(key=key, label=label, min_population=low, max_population=high,
                                  communes=len(members), communes_with_actions=sum(1 for c in members if c.actions),
                                  actions=actions, share=round(actions / total_actions, 4)))
        return Stats(totals=pcs_stats.totals(self.store), per_axis=rows(pcs_stats.actions_per_axis(self.store)),
                     per_province=rows(pcs_stats.actions_per_province(self.store)), per_size_band=bands,
                     per_partner_kind=rows(pcs_stats.actions_per_partner_kind(self.store)),
                     reference_2009_2013=dict(pcs_stats.SHARES_2009_2013))
