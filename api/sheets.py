"""Practice sheets for the API, the downloads and the pages: read in one query per list, shown in words.

    hits = with_sheets(store, results.hits)          # each Hit with its .sheet and .publication_date
    SHEET_HEADER, sheet_cells(hit.sheet, hit.publication, hit.source_kind, hit.publication_date)
    view = SheetView.of(sheet)                       # the practice page's words: « statut non publié »…

The sheet itself is `pcs_graph.graph.sheet.PracticeSheet` (what the sources state); nothing here
adds to it: a field the source does not state is shown as not published, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pcs_graph.contrib.reading import current_sheet, read_contribution, read_source_sheet
from pcs_graph.graph.sheet import PUBLICS, STATUSES, PracticeSheet, read_sheets
from pcs_graph.graph.uris import Uris
from pcs_graph.graph.sources import SOURCE_KIND_LABELS
from pcs_graph.search.types import Hit
from pcs_graph.store import Store
from pcs_graph.text import fold

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")
SHEET_HEADER = ["Description", "Public", "Statut de l'action", "Date du statut", "Période", "Adresse de la source",
                "Type de source", "Date de publication"]


def french_date(iso: str | None) -> str:
    """'2021-09' → 'septembre 2021', '2022-07-04' → '4 juillet 2022', '2023' → '2023'."""
    if not iso:
        return ""
    parts = iso.split("-")
    if len(parts) == 1:
        return iso
    month = MONTHS[int(parts[1]) - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"


def period_text(sheet: PracticeSheet | None) -> str:
    """« du 4 juillet 2022 au 15 juillet 2022 », « depuis janvier 2020 », « jusqu'en 2023 », or ''."""
    if sheet is None or not (sheet.start_date or sheet.end_date):
        return ""
    if sheet.start_date and sheet.end_date:
        return f"du {french_date(sheet.start_date)} au {french_date(sheet.end_date)}"
    if sheet.start_date:
        return f"depuis {french_date(sheet.start_date)}"
    return f"jusqu'en {french_date(sheet.end_date)}"


def publics_text(sheet: PracticeSheet | None) -> str:
    """« Enfants (0 - 3 ans) », the scheme's labels followed by the words they were read from."""
    if sheet is None or not (sheet.publics or sheet.publics_read):
        return ""
    labels = ", ".join(PUBLICS[p] for p in sheet.publics)
    words = ", ".join(w for w in sheet.publics_read if w.lower() not in {PUBLICS[p].lower() for p in sheet.publics})
    return f"{labels} ({words})" if labels and words else labels or words


def publication_dates(store: Store, urls: list[str]) -> dict[str, str]:
    """The issued date of each publication that has one (dcterms:issued)."""
    if not urls:
        return {}
    values = " ".join(f"<{u}>" for u in sorted(set(urls)))
    rows = store.select(f"SELECT ?u ?d WHERE {{ VALUES ?u {{ {values} }} ?u dcterms:issued ?d }}")
    return {r["u"] or "": r["d"] or "" for r in rows if r["d"]}


def with_sheets(store: Store, hits: tuple[Hit, ...] | list[Hit]) -> tuple[Hit, ...]:
    """The hits, each with its practice sheet and its publication's date (two queries for the list), and
    its explanation saying which words were found in the description only."""
    sheets = read_sheets(store, [h.uri for h in hits])
    dates = publication_dates(store, [h.publication for h in hits if h.publication])
    return tuple(replace(h, sheet=(sheet := sheets.get(h.uri)), publication_date=dates.get(h.publication or ""),
                         why=replace(h.why, in_description=in_description(h, sheet)))
                 for h in hits)


def in_description(hit: Hit, sheet: PracticeSheet | None) -> tuple[str, ...]:
    """The query words found in the action's description but not in its label (accents and case ignored)."""
    if sheet is None or not sheet.description:
        return ()
    label, description = fold(hit.label), fold(sheet.description)
    return tuple(t for t in hit.why.matched_terms if fold(t) in description and fold(t) not in label)


def current_action_sheet(store: Store, uris: Uris, action_uri: str) -> PracticeSheet:
    """One action's current sheet: the source's, with the fields its commune updated in their place
    (issue 18's contributions, each in its own graph); the source's alone when there is none."""
    return current_sheet(read_source_sheet(store, uris, action_uri), read_contribution(store, uris, action_uri))


def sheet_cells(sheet: PracticeSheet | None, publication: str | None, kind: str | None, date: str | None) -> list:
    """The sheet's cells of a download row, in SHEET_HEADER's order (empty where the source says nothing)."""
    sheet = sheet or PracticeSheet()
    return [sheet.description or "", publics_text(sheet), STATUSES.get(sheet.status or "", ""),
            sheet.status_date or "", period_text(sheet), publication or "",
            SOURCE_KIND_LABELS.get(kind or "", kind or ""), date or ""]


@dataclass(frozen=True)
class SheetView:
    """The practice sheet in the words of the action page, in its order: what, for whom, since when,
    status, results, contact (the source is the page's own section)."""

    what: str | None
    for_whom: str | None
    since_when: str | None
    status: str | None
    status_code: str | None
    results: tuple[str, ...]
    contact: str | None

    @classmethod
    def of(cls, sheet: PracticeSheet) -> "SheetView":
        status = None
        if sheet.status:
            status = STATUSES[sheet.status]
            if sheet.status_date:
                status += (" pour " if sheet.status == "planned" else " en ") + french_date(sheet.status_date)
            if sheet.status_as_printed:
                status += f" (la source : « {sheet.status_as_printed} »)"
        return cls(what=sheet.description, for_whom=publics_text(sheet) or None,
                   since_when=period_text(sheet) or None, status=status, status_code=sheet.status,
                   results=sheet.results, contact=sheet.contact)


def status_badge_text(sheet: PracticeSheet | None) -> str:
    """« arrêtée en 2023 », « suspendue en septembre 2021 », or '' when the source states no status."""
    if sheet is None or not sheet.status:
        return ""
    text = STATUSES[sheet.status]
    if sheet.status_date:
        text += (" pour " if sheet.status == "planned" else " en ") + french_date(sheet.status_date)
    return text


@dataclass(frozen=True)
class ActionSource:
    """Where an action was read: the publication's address, kind and date (None where unknown)."""

    url: str | None = None
    kind: str | None = None
    date: str | None = None


def action_sources(store: Store, action_uris: list[str]) -> dict[str, ActionSource]:
    """The publication each action was read from, in one query."""
    if not action_uris:
        return {}
    values = " ".join(f"<{u}>" for u in sorted(set(action_uris)))
    rows = store.select(f"""SELECT ?a ?u ?k ?d WHERE {{ VALUES ?a {{ {values} }} ?a dcterms:source ?u .
      OPTIONAL {{ ?u dcterms:type/skos:notation ?k }} OPTIONAL {{ ?u dcterms:issued ?d }} }}""")
    return {r["a"] or "": ActionSource(r["u"], r["k"], r["d"]) for r in rows}


def action_sheet_cells(store: Store, action_uris: list[str]) -> dict[str, list]:
    """SHEET_HEADER's cells for each action (sheet, then where it was read), two queries for the list."""
    sheets = read_sheets(store, action_uris)
    sources = action_sources(store, action_uris)
    return {u: sheet_cells(sheets.get(u), (s := sources.get(u, ActionSource())).url, s.kind, s.date)
            for u in action_uris}
