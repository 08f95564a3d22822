"""The practice sheet of an action: what it is, for whom, since when, whether it still runs, results, contact.

    sheet = PracticeSheet(description="une halte accueil … pour les 0 - 3 ans", publics=("enfants",),
                          publics_read=("0 - 3 ans",))
    validate_sheet(sheet)                           # [] (or precise errors, e.g. an unknown status)
    sheet_triples(t, Uris(), action_iri, sheet)     # the statements below, into a document's Triples
    sheet = read_sheet(store, Uris(), action_uri)   # back from any store with `select(query) -> rows`

Every fact of a sheet sits in the graph of the document (or edit) it was read from, next to the
action's label: the action's `dcterms:source` / `prov:wasDerivedFrom` is where each was read.

Predicates (subject: the action):
- `dcterms:description` "…"@fr — what the source says about the action, as printed.
- `pcs:targetGroup` → a concept of `pcs:TargetPublicScheme` (`skos:notation` "enfants", …), and
  `pcs:targetPublic` "0 - 3 ans"@fr — the words the public was read from (or a table's public cell).
- `pcs:status` → a concept of `pcs:ActionStatusScheme` (`skos:notation` planned | running | suspended
  | stopped | completed), only when the source states it; `pcs:statusDate` the date it states
  (xsd:gYear "2023", xsd:gYearMonth "2021-09" or xsd:date); `pcs:statusAsPrinted` "abandonnée en 2023"@fr.
- `schema:startDate`, `schema:endDate` — the period the source states (xsd:gYear, gYearMonth or date).
- `pcs:result` "23 personnes"@fr — a figure as printed, with the sentence it comes from.
- `pcs:contact` "…" — a contact point exactly as the source publishes it for the action or its plan.
- `pcs:partner` → `partner/<slug of the name>` (and `pcs:article20Partner` for an article-20 partner): only
  a commune's own update writes partners through a sheet (`pcs_graph.contrib`); the ingest writes the
  documents' partners itself (`model.py`). A partner is read back with its `rdfs:label` and `pcs:partnerKind`.

Where a commune's own update (graph `…/graph/contribution/…`) states a field, its word replaces the
documents' for that field (`sheet_query`; `partner_pattern` does the same for the partners in any query).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from rdflib.namespace import XSD

from ..text import slugify
from .ntriples import Triples, iri, literal
from .uris import Uris
from .vocab import DCTERMS, PCS, RDFS, SCHEMA, SKOS

STATUSES: dict[str, str] = {
    "planned": "prévue",
    "running": "en cours",
    "suspended": "suspendue",
    "stopped": "arrêtée",
    "completed": "terminée",
}
PUBLICS: dict[str, str] = {
    "enfants": "Enfants",
    "jeunes": "Jeunes",
    "aines": "Aînés",
    "familles": "Familles",
    "personnes-isolees": "Personnes isolées",
    "personnes-handicapees": "Personnes handicapées / PMR",
    "primo-arrivants": "Primo-arrivants",
    "demandeurs-emploi": "Demandeurs d'emploi",
    "allocataires-sociaux": "Allocataires sociaux",
    "tout-public": "Tout public",
}
PARTNER_KINDS = ("ASBL", "CPAS", "CommuneService", "PublicBody", "School", "OtherPartner")
MAX_PARTNERS, MAX_PARTNER_NAME = 50, 200
OWN_GRAPH = "/graph/contribution/"  # the graphs of the communes' own updates (pcs_graph.contrib)
_ISO = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$")

P_STATUS, P_STATUS_DATE, P_STATUS_PRINTED = PCS.status, PCS.statusDate, PCS.statusAsPrinted
P_GROUP, P_PUBLIC, P_RESULT, P_CONTACT = PCS.targetGroup, PCS.targetPublic, PCS.result, PCS.contact
P_START, P_END, P_DESCRIPTION = SCHEMA.startDate, SCHEMA.endDate, DCTERMS.description
P_PARTNER, P_ARTICLE20, P_PARTNER_KIND = PCS.partner, PCS.article20Partner, PCS.partnerKind
SHEET_PREDICATES = (P_DESCRIPTION, P_GROUP, P_PUBLIC, P_STATUS, P_STATUS_DATE, P_STATUS_PRINTED, P_START, P_END,
                    P_RESULT, P_CONTACT, P_PARTNER, P_ARTICLE20)


@dataclass(frozen=True)
class SheetPartner:
    """A partner of the action: its name as written, its kind (one of PARTNER_KINDS) if stated, article 20."""

    name: str
    kind: str | None = None
    article20: bool = False

    @classmethod
    def of(cls, value: "SheetPartner | str | dict") -> "SheetPartner":
        """From a name, a {name, kind, article20} mapping (the API, the database) or a SheetPartner."""
        if isinstance(value, SheetPartner):
            return value
        if isinstance(value, str):
            return cls(" ".join(value.split()))
        return cls(" ".join(str(value.get("name") or "").split()), value.get("kind") or None,
                   bool(value.get("article20")))


@dataclass(frozen=True)
class PracticeSheet:
    """What a source says about an action beyond its label; None / () where it says nothing."""

    description: str | None = None
    publics: tuple[str, ...] = ()  # notations of PUBLICS
    status: str | None = None  # a notation of STATUSES
    status_date: str | None = None  # ISO: "2023", "2021-09" or "2021-09-14"
    status_as_printed: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    results: tuple[str, ...] = ()  # figures as printed, each with its sentence
    contact: str | None = None  # as published
    publics_read: tuple[str, ...] = field(default=())  # the words the publics were read from
    partners: tuple[SheetPartner, ...] = ()  # names, dicts or SheetPartners: kept as SheetPartners

    def __post_init__(self) -> None:
        object.__setattr__(self, "partners", tuple(SheetPartner.of(p) for p in self.partners))

    @property
    def empty(self) -> bool:
        return self == PracticeSheet()


def status_concept(notation: str) -> str:
    """'stopped' → the IRI of pcs:StatusStopped."""
    return str(PCS["Status" + notation.capitalize()])


def public_concept(notation: str) -> str:
    """'personnes-isolees' → the IRI of pcs:PublicPersonnesIsolees."""
    return str(PCS["Public" + "".join(part.capitalize() for part in notation.split("-"))])


def date_datatype(value: str) -> str:
    """The XSD datatype of an ISO year, year-month or date ("2023" → xsd:gYear)."""
    return str({4: XSD.gYear, 7: XSD.gYearMonth}.get(len(value), XSD.date))


def validate_sheet(sheet: PracticeSheet) -> list[str]:
    """Every problem of a sheet, each naming the field, the value and what is expected (empty: valid)."""
    errors: list[str] = []
    if sheet.status is not None and sheet.status not in STATUSES:
        errors.append(f"status: statut inconnu {sheet.status!r} / unknown status (attendu / expected: "
                      f"{', '.join(STATUSES)})")
    for public in sheet.publics:
        if public not in PUBLICS:
            errors.append(f"publics: public inconnu {public!r} / unknown public (attendu / expected: "
                          f"{', '.join(PUBLICS)})")
    for name in ("status_date", "start_date", "end_date"):
        value = getattr(sheet, name)
        if value is not None and not _valid_date(value):
            errors.append(f"{name}: date mal formée {value!r} / malformed date (attendu / expected: "
                          "AAAA, AAAA-MM ou AAAA-MM-JJ, e.g. 2023, 2021-09, 2021-09-14)")
    if sheet.status_date is not None and sheet.status is None:
        errors.append("status_date: une date de statut sans statut / a status date without a status")
    if (sheet.start_date and sheet.end_date and _valid_date(sheet.start_date) and _valid_date(sheet.end_date)
            and sheet.end_date[:len(sheet.start_date)] < sheet.start_date[:len(sheet.end_date)]):
        errors.append(f"end_date: fin {sheet.end_date} avant le début {sheet.start_date} / end before start")
    for name in ("description", "status_as_printed", "contact"):
        value = getattr(sheet, name)
        if value is not None and not value.strip():
            errors.append(f"{name}: texte vide / empty text (omettre le champ / leave it out)")
    if any(not r.strip() for r in sheet.results):
        errors.append("results: un résultat vide / an empty result")
    return errors + _partner_errors(sheet.partners)


def _partner_errors(partners: tuple[SheetPartner, ...]) -> list[str]:
    errors = []
    if len(partners) > MAX_PARTNERS:
        errors.append(f"partners: {len(partners)} partenaires / partners (au plus / at most {MAX_PARTNERS})")
    seen: dict[str, str] = {}
    for n, p in enumerate(partners, 1):
        if not p.name:
            errors.append(f"partners: le partenaire n° {n} n'a pas de nom / partner {n} has no name "
                          "(un nom par partenaire / one name per partner)")
            continue
        if len(p.name) > MAX_PARTNER_NAME:
            errors.append(f"partners: le nom du partenaire n° {n} a {len(p.name)} caractères / name too long "
                          f"(au plus / at most {MAX_PARTNER_NAME}): {p.name[:40]!r}…")
        if not any(ch.isalnum() for ch in p.name):
            errors.append(f"partners: {p.name!r} n'a ni lettre ni chiffre / has no letter nor digit")
        if p.kind is not None and p.kind not in PARTNER_KINDS:
            errors.append(f"partners: type de partenaire inconnu {p.kind!r} / unknown partner kind (attendu / "
                          f"expected: {', '.join(PARTNER_KINDS)})")
        key = slugify(p.name)
        if key in seen:
            errors.append(f"partners: « {seen[key]} » et « {p.name} » désignent le même partenaire / "
                          "the same partner twice")
        seen.setdefault(key, p.name)
    return errors


def _valid_date(value: str) -> bool:
    match = _ISO.match(value)
    if not match:
        return False
    if match.group(3):
        from datetime import date

        try:
            date.fromisoformat(value)
        except ValueError:
            return False
    return True


def sheet_triples(t: Triples, uris: Uris, action_iri: str, sheet: PracticeSheet) -> None:
    """The sheet's statements about an action (`action_iri` as written by `ntriples.iri`, or a bare IRI).

    A sheet that `validate_sheet` refuses is refused here too (ValueError), never written half."""
    errors = validate_sheet(sheet)
    if errors:
        raise ValueError("; ".join(errors))
    a = action_iri if action_iri.startswith("<") else iri(action_iri)
    if sheet.description:
        t.add(a, iri(P_DESCRIPTION), literal(sheet.description, lang="fr"))
    for public in sheet.publics:
        t.add(a, iri(P_GROUP), iri(public_concept(public)))
    for words in sheet.publics_read:
        t.add(a, iri(P_PUBLIC), literal(words, lang="fr"))
    if sheet.status:
        t.add(a, iri(P_STATUS), iri(status_concept(sheet.status)))
    if sheet.status_date:
        t.add(a, iri(P_STATUS_DATE), literal(sheet.status_date, datatype=date_datatype(sheet.status_date)))
    if sheet.status_as_printed:
        t.add(a, iri(P_STATUS_PRINTED), literal(sheet.status_as_printed, lang="fr"))
    if sheet.start_date:
        t.add(a, iri(P_START), literal(sheet.start_date, datatype=date_datatype(sheet.start_date)))
    if sheet.end_date:
        t.add(a, iri(P_END), literal(sheet.end_date, datatype=date_datatype(sheet.end_date)))
    for result in sheet.results:
        t.add(a, iri(P_RESULT), literal(result, lang="fr"))
    if sheet.contact:
        t.add(a, iri(P_CONTACT), literal(sheet.contact))
    for partner in sheet.partners:  # the partner's own name and kind: pcs_graph.contrib.partners
        node = iri(uris.partner(partner.name))
        t.add(a, iri(P_PARTNER), node)
        if partner.article20:
            t.add(a, iri(P_ARTICLE20), node)


class SelectStore(Protocol):
    """Any store of the project (`select` answers rows of variable → value)."""

    def select(self, query: str) -> list[dict[str, str | None]]: ...


def sheet_query(action_uri: str, subject: str | None = None) -> str:
    """The SPARQL query of an action's sheet: one row per statement (?p, ?o; ?n the notation of a concept;
    ?l the label and ?k the kind of a partner). `subject`: a variable (e.g. "?a") instead of the action."""
    s = subject or f"<{action_uri}>"
    predicates = ", ".join(f"<{p}>" for p in SHEET_PREDICATES)
    # a commune's own update (graph …/graph/contribution/…, pcs_graph.contrib) states a field: its word
    # replaces the documents' for that field (its partners: the documents' partners, article 20 included);
    # the other fields are the documents' (issue 18)
    own = f'CONTAINS(STR(?g), "{OWN_GRAPH}")'
    return (f"SELECT DISTINCT {subject + ' ' if subject else ''}?p ?o ?n ?l ?k WHERE {{ GRAPH ?g {{ {s} ?p ?o }} "
            f"FILTER(?p IN ({predicates})) "
            f"FILTER({own} || NOT EXISTS {{ GRAPH ?g2 {{ {s} ?q ?x }} FILTER({own.replace('?g)', '?g2)')} "
            f"&& (?q = ?p || (?p = <{P_ARTICLE20}> && ?q = <{P_PARTNER}>))) }}) "
            f"{sheet_columns()} }}")


def sheet_columns() -> str:
    """The columns of a sheet's rows besides ?p ?o: a concept's notation (?n), a partner's label and kind."""
    return (f"OPTIONAL {{ ?o <{SKOS.notation}> ?n }} "
            f"OPTIONAL {{ ?o <{RDFS.label}> ?l FILTER(?p = <{P_PARTNER}>) }} "
            f"OPTIONAL {{ ?o <{P_PARTNER_KIND}> ?k FILTER(?p = <{P_PARTNER}>) }}")


def partner_pattern(action: str = "?a", partner: str = "?p", graph: str = "?partnerGraph") -> str:
    """A SPARQL group binding `partner` to each current partner of `action` (and `graph` to where it is
    stated): the commune's own partners where its update states some, else the documents'.

        f"OPTIONAL {{ {partner_pattern('?a', '?p', '?pg')} ?p rdfs:label ?name
                     OPTIONAL {{ GRAPH ?pg {{ ?a pcs:article20Partner ?p }} BIND(true AS ?art20) }} }}"
    """
    own = f'CONTAINS(STR({graph}), "{OWN_GRAPH}")'
    return (f"GRAPH {graph} {{ {action} <{P_PARTNER}> {partner} }} "
            f"FILTER({own} || NOT EXISTS {{ GRAPH ?ownPartnersGraph {{ {action} <{P_PARTNER}> ?anyOwnPartner }} "
            f'FILTER(CONTAINS(STR(?ownPartnersGraph), "{OWN_GRAPH}")) }})')


def article20_pattern(action: str = "?a", partner: str = "?p", graph: str = "?partnerGraph") -> str:
    """Within `partner_pattern`'s group: `partner` is an article-20 partner where it is stated (same graph)."""
    return f"GRAPH {graph} {{ {action} <{P_ARTICLE20}> {partner} }}"


def sheet_from_rows(rows: list[dict[str, str | None]]) -> PracticeSheet:
    """The sheet from the rows of `sheet_query` (several values of a single-valued field: the first in order)."""
    values: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for row in rows:
        p, o = row.get("p"), row.get("o")
        if p is None or o is None:
            continue
        value = row.get("n") if p in (str(P_GROUP), str(P_STATUS)) else o
        if value is not None:
            values.setdefault(p, []).append(value)
        if p == str(P_PARTNER):
            if (label := row.get("l")) and (o not in labels or label < labels[o]):
                labels[o] = label  # several spellings: the first in order
            if kind := row.get("k"):
                kinds[o] = kind.rsplit("#", 1)[-1]

    def one(p: object) -> str | None:
        found = sorted(values.get(str(p), []))
        return found[0] if found else None

    description = one(P_DESCRIPTION)
    results = sorted(values.get(str(P_RESULT), []))
    results.sort(key=lambda r: _place(description, r))  # in the order the description prints them
    article20 = set(values.get(str(P_ARTICLE20), []))
    partners = sorted((SheetPartner(labels.get(u) or u.rsplit("/", 1)[-1], kinds.get(u), u in article20)
                       for u in set(values.get(str(P_PARTNER), []))), key=lambda sp: (sp.name.casefold(), sp.name))
    return PracticeSheet(
        description=description,
        publics=tuple(p for p in PUBLICS if p in values.get(str(P_GROUP), [])),
        status=one(P_STATUS), status_date=one(P_STATUS_DATE), status_as_printed=one(P_STATUS_PRINTED),
        start_date=one(P_START), end_date=one(P_END), results=tuple(results), contact=one(P_CONTACT),
        publics_read=tuple(sorted(set(values.get(str(P_PUBLIC), [])))), partners=tuple(partners),
    )


def _place(text: str | None, part: str) -> int:
    """Where `part` is printed in `text` (a part not found comes last)."""
    found = text.find(part) if text else -1
    return found if found >= 0 else len(text or "") + 1


def read_sheet(store: SelectStore, uris: Uris, action_uri: str) -> PracticeSheet:
    """The current sheet of an action: what its documents state, each field the commune updated replaced
    by the commune's word (`pcs_graph.contrib`)."""
    del uris  # every term of a sheet is in the ontology's namespace; kept for a stable signature
    return sheet_from_rows(store.select(sheet_query(action_uri)))


def read_sheets(store: SelectStore, action_uris: list[str]) -> dict[str, PracticeSheet]:
    """The sheets of several actions in one query (an action with no sheet fact maps to an empty sheet)."""
    if not action_uris:
        return {}
    values = " ".join(f"<{u}>" for u in sorted(set(action_uris)))
    query = sheet_query("", subject="?a")
    rows: dict[str, list[dict[str, str | None]]] = {u: [] for u in action_uris}
    for row in store.select(query.replace("WHERE {", f"WHERE {{ VALUES ?a {{ {values} }}", 1)):
        rows.setdefault(row.get("a") or "", []).append(row)
    return {u: sheet_from_rows(r) for u, r in rows.items()}
