"""Reading a practice sheet from what a source prints about an action: status, publics, period, figures.

    sheet = read_sheet_text("sensibilisation sur les risques liés au stress", "abandonnée en 2023")
    sheet.status, sheet.status_date, sheet.status_as_printed     # 'stopped', '2023', 'abandonnée en 2023'
    read_sheet_text("Soutien au BébéBus", "une halte accueil … pour les 0 - 3 ans").publics   # ('enfants',)

Conservative and rule-based: each rule below reads words the source prints, and nothing is guessed.
A source that states no status gives no status; a public is read only after a word that says who an
action is for (« pour les », « aux », « des », « envers les »…), from the label or the description.

Status (the words, then the date they give: « en 2023 », « en septembre 2021 », « à 2021 »):
- stopped: abandonné(e)(s), arrêté(e)(s), supprimé(e)(s), rayé(e)(s) du plan — « abandonnée en 2023 »
  → stopped, 2023; « rayées du plan 2023 » → stopped, 2023.
- suspended: suspendu(e)(s) — « suspendu en septembre 2021 » → suspended, 2021-09.
- planned: postposé(e)(s) / reporté(e)(s) à, ajouté(e)(s) au plan — « postposé à 2021 » → planned, 2021
  (the date is the one it is planned for); « ajoutés au plan 2023 » → planned, 2023.
- completed: terminé(e)(s) en / clôturé(e)(s) en.
- running: « toujours en cours », « fonctionne toujours / encore ».
Period: « du 4 au 15 juillet 2022 » → 2022-07-04 … 2022-07-15; « depuis 2019 » / « lancé en mars 2021 »
/ « première édition (2023) » / « pour la première fois fin janvier 2020 » → the start.
Figures: every clause (between « ; ») that prints a number before a unit (personnes, participants,
enfants, EUR…), kept whole as the sentence it comes from (« ~40 personnes, 10 réparateurs bénévoles »).
"""

from __future__ import annotations

import re

from pcs_graph.graph.records import Publication
from pcs_graph.graph.sheet import PracticeSheet
from pcs_graph.text import fold

MONTHS = {"janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
          "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12}
_MONTH = r"(?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)"
_YEAR = r"(?:19|20)\d\d"
_WHEN = rf"(?:(?:en|a|au|au plan|du plan|pour)\s+)?(?:(?:debut|fin|mi-?)\s*)?(?:(?P<month>{_MONTH})\s+)?(?P<year>{_YEAR})"
_E = r"(?:e|ee|es|ees|s)?"  # the agreement endings of a past participle, accents folded
_REASON = r"(?:\s+(?:faute de|car|par manque de|pour cause de)\s[^;.()]*)?"
STATUS_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("stopped", re.compile(rf"\b(?:abandonn|arret|supprim){_E}\s+{_WHEN}{_REASON}|\brayee?s?\s+du\s+plan\s+(?P<y2>{_YEAR}){_REASON}")),
    ("suspended", re.compile(rf"\bsuspendu{_E}\s+{_WHEN}{_REASON}")),
    ("planned", re.compile(rf"\b(?:postpos|report){_E}\s+(?:a|en)\s+(?:(?P<m3>{_MONTH})\s+)?(?P<y3>{_YEAR})"
                           rf"|\bajoute{_E}\s+au\s+plan\s+(?P<y4>{_YEAR})")),
    ("completed", re.compile(rf"\b(?:termin|clotur){_E}\s+{_WHEN}")),
    ("running", re.compile(r"\b(?:toujours en cours|fonctionne (?:toujours|encore))\b")),
)

# who an action is for: a marker, then (within the same clause) the words of a public
_MARKER = re.compile(r"\b(?:pour|aux|des|envers|a destination des|destinee?s? aux)\s+(?:les\s+|la\s+|des\s+|l')?")
PUBLIC_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("enfants", re.compile(r"\b(?:enfants?|bebes?|tout-petits)\b")),
    ("jeunes", re.compile(r"\b(?:jeunes|adolescents?|ados)\b")),
    ("aines", re.compile(r"\b(?:aines|seniors?|personnes agees|plus ages|troisieme age)\b")),
    ("familles", re.compile(r"\bfamilles?\b")),
    ("personnes-isolees", re.compile(r"\bpersonnes isolees\b")),
    ("personnes-handicapees", re.compile(r"\b(?:personnes handicapees|pmr|personnes a mobilite reduite|"
                                         r"en situation de handicap)\b")),
    ("primo-arrivants", re.compile(r"\b(?:primo-arrivants?|demandeu(?:r|se)s? d'asile|refugies)\b")),
    ("demandeurs-emploi", re.compile(r"\b(?:demandeu(?:r|se)s? d'emploi|chercheu(?:r|se)s? d'emploi)\b")),
    ("allocataires-sociaux", re.compile(r"\b(?:allocataires sociaux|beneficiaires du ris|bim)\b")),
    ("tout-public", re.compile(r"\b(?:tout public|tous publics)\b")),
)
_ALL = re.compile(r"\b(?:ouverte?s? a tous|accessibles? a tous)\b")
_AGES = re.compile(r"(?:(?P<lo>\d{1,2})\s*(?:-|–|a)\s*(?P<hi>\d{1,2})|plus de\s+(?P<over>\d{2}))\s*ans\b")
_UNIT = (r"personnes|participants?|participantes?|enfants|jeunes|adultes|aines|seniors|habitants|familles|"
         r"benevoles|reparateurs|volontaires|projets|exemplaires|bracelets|educateurs|inscrits|eur|euros|€|pages")
_NUMBER = (r"(?:~\s*|environ\s+|pres d'|pres de\s+|plus de\s+|quelque\s+)?"
           r"(?:\d[\d  .,]*|une? (?:vingtaine|dizaine|trentaine|quarantaine|cinquantaine|centaine)|"
           r"deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze|quinze|vingt|cent)")
_FIGURE = re.compile(rf"(?<![\w-])(?!(?:19|20)\d\d\b){_NUMBER}\s+(?:[a-z'-]+\s+)?(?:de\s+|d')?(?:{_UNIT})\b")
_RANGE = re.compile(rf"\bdu\s+(?P<d1>\d{{1,2}})(?:er)?\s+(?:(?P<m1>{_MONTH})\s+)?au\s+(?P<d2>\d{{1,2}})(?:er)?\s+"
                    rf"(?P<m2>{_MONTH})\s+(?P<y>{_YEAR})")
_START = re.compile(rf"\b(?:depuis|lancee?s?\s+en|premiere edition\s*\(?|pour la premiere fois)\s*"
                    rf"(?:(?:en|debut|fin|mi-?)\s+)?(?:(?P<month>{_MONTH})\s+)?(?P<year>{_YEAR})\b")


def fold_in_place(text: str) -> str:
    """`fold`, one character for one character: a match in the folded text is at the same place in
    the original ('Œuvre' → 'ouvre', '…' → '.'), so the source's own words can be quoted back."""
    out = []
    for c in text:
        f = fold(c) if not c.isascii() else c.lower()
        out.append(f[0] if f else " ")
    return "".join(out)


def _iso(year: str, month: str | None = None, day: str | None = None) -> str:
    if month is None:
        return year
    text = f"{year}-{MONTHS[month]:02d}"
    return f"{text}-{int(day):02d}" if day else text


def _printed(text: str, match: re.Match[str]) -> str:
    """The source's own words for a match of the folded text (`fold_in_place` keeps every character's place)."""
    return text[match.start():match.end()].strip(" ;,.()")


def read_status(text: str) -> tuple[str | None, str | None, str | None]:
    """(status, ISO date, words as printed) of a description, or (None, None, None) when it states none."""
    folded = fold_in_place(text)
    for status, pattern in STATUS_RULES:
        match = pattern.search(folded)
        if match is None:
            continue
        groups = {k: v for k, v in match.groupdict().items() if v}
        year = groups.get("year") or groups.get("y2") or groups.get("y3") or groups.get("y4")
        month = groups.get("month") or groups.get("m3")
        return status, _iso(year, month) if year else None, _printed(text, match)
    return None, None, None


def read_publics(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(notations, words read) of the publics a text says an action is for, in the scheme's order."""
    folded = fold_in_place(text)
    found: dict[str, str] = {}
    for marker in _MARKER.finditer(folded):
        clause_end = re.search(r"[;:()\[\]]|, (?!et )|\.(?!\d)| avec | sur | dans ", folded[marker.end():])
        end = marker.end() + (clause_end.start() if clause_end else len(folded) - marker.end())
        segment = folded[marker.end():end]
        for notation, pattern in PUBLIC_WORDS:
            for m in pattern.finditer(segment):
                found.setdefault(notation, text[marker.end() + m.start():marker.end() + m.end()])
        ages = _AGES.match(segment)
        if ages:
            words = text[marker.end() + ages.start():marker.end() + ages.end()]
            if ages.group("over"):
                if int(ages.group("over")) >= 60:
                    found.setdefault("aines", words)
            elif int(ages.group("hi")) <= 12:
                found.setdefault("enfants", words)
            elif int(ages.group("lo")) >= 12 and int(ages.group("hi")) <= 25:
                found.setdefault("jeunes", words)
    for m in _ALL.finditer(folded):
        found.setdefault("tout-public", text[m.start():m.end()])
    order = [n for n, _ in PUBLIC_WORDS]
    notations = tuple(sorted(found, key=order.index))
    return notations, tuple(found[n] for n in notations)


def read_period(text: str) -> tuple[str | None, str | None]:
    """(start, end) ISO dates the text states, or None for each it does not state."""
    folded = fold_in_place(text)
    match = _RANGE.search(folded)
    if match:
        year, m2 = match.group("y"), match.group("m2")
        return _iso(year, match.group("m1") or m2, match.group("d1")), _iso(year, m2, match.group("d2"))
    match = _START.search(folded)
    if match:
        return _iso(match.group("year"), match.group("month")), None
    return None, None


def read_results(text: str) -> tuple[str, ...]:
    """The clauses of a text (between « ; ») that print a figure with its unit, each kept whole."""
    results = []
    for clause in text.split(";"):
        if _FIGURE.search(fold_in_place(clause)):
            results.append(clause.strip())
    return tuple(results)


def plan_page_contact(publication: Publication | None) -> str | None:
    """The contact a source publishes for the plan: the address of a commune's or CPAS's own page of
    its PCS service (« …/plan-de-cohesion-sociale »), None for any other source (never inferred)."""
    if publication is None or publication.kind != "commune-page":
        return None
    return publication.url if re.search(r"cohesion-social", publication.url) else None


def read_sheet_text(label: str, description: str | None, public: tuple[str, ...] = (),
                    contact: str | None = None) -> PracticeSheet:
    """The sheet a source's label and description state (`public`: words of a table's public column)."""
    text = description or ""
    status, status_date, printed = read_status(text)
    publics, words = read_publics(f"{label} ; {text}" if text else label)
    for cell in public:  # a public column's words are read too, even with no marker before them
        cell_publics, _ = read_publics("pour " + cell)
        publics = tuple(dict.fromkeys(publics + cell_publics))
    start, end = read_period(text)
    return PracticeSheet(description=description or None, publics=publics, status=status,
                         status_date=status_date, status_as_printed=printed, start_date=start, end_date=end,
                         results=read_results(text), contact=contact or None,
                         publics_read=tuple(dict.fromkeys(words + public)))
