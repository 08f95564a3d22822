"""The region's printout of a signed plan (the "spiralpcs" application), from its text or its PDF.

    Plan de cohésion sociale 2014-2019 Commune : LIEGE Statut : Signé par les autorités communales
    Numéro de document : SPW-PCS-201502251135-LIE00004-78477 Imprimé le 11/03/2015
    5.1 Action 1 : Coordination et mise en réseau
    5.2 Action 2 : Coordination des organismes actifs dans la formation préqualifiante (CALIF ASBL)

The header gives the programme, the commune, the status, the document number and the print date;
each entry `5.N Action N : title` is an action numbered as printed (N is the plan's own numbering,
not a nomenclature code); an organisation in parentheses is a partner. An entry the stored copy cuts
off (`… [the stored copy stops here]`) is left out with a warning: its end is never invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pcs_graph.errors import InputError
from pcs_graph.graph.records import ActionRecord, PartnerRecord, SourceSpan
from pcs_graph.text import normalize_space

from ..lines import Line, where
from .partners import partner, partner_kind

NAME = "signed-plan"

_ENTRY = re.compile(r"^\s*5\.(?P<section>\d{1,3})\.?\s+Action\s+(?P<number>\d{1,3})\s*:\s*(?P<title>.*)$")
_NUMBER = re.compile(r"Num[ée]ro de document\s*:\s*(?P<number>SPW-PCS-[\w-]+)")
_PROGRAMME = re.compile(r"Plan de coh[ée]sion sociale\s+(?P<programme>\d{4}\s*-\s*\d{4})", re.I)
_COMMUNE = re.compile(r"Commune\s*:\s*(?P<commune>.+?)\s+Statut\s*:", re.I)
_STATUS = re.compile(r"Statut\s*:\s*(?P<status>.+?)\s+Num[ée]ro de document", re.I)
_PRINTED = re.compile(r"Imprim[ée] le\s+(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})")
# an editor's note that the copy stops there: "[the stored copy stops here]", "[…]", "[coupé]", "[tronqué]"
_CUT = re.compile(r"\s*\[(?:[^\]]*\b(?:stops?|cut|truncated|coup[ée]e?|tronqu[ée]e?|interrompue?)\b[^\]]*|\s*(?:…|\.\.\.)\s*)\]\s*$",
                  re.I)
_PARENTHESES = re.compile(r"\(([^()]{2,120})\)")
_ACRONYM = re.compile(r"^[A-Z][A-Za-z]*[A-Z][A-Za-z]*$")


@dataclass(frozen=True)
class Header:
    programme: str | None
    commune: str | None
    status: str | None
    number: str | None
    printed_on: str | None  # ISO date


def looks_signed(lines: list[Line]) -> bool:
    """The regional printout: a document number SPW-PCS-… and at least one `5.N Action N :` entry."""
    text = "\n".join(line.text for line in lines[:80])
    return bool(_NUMBER.search(text)) and any(_ENTRY.match(line.text) for line in lines)


def header(lines: list[Line]) -> Header:
    text = " ".join(line.text for line in lines[:80])

    def find(pattern: re.Pattern[str], group: str) -> str | None:
        m = pattern.search(text)
        return normalize_space(m.group(group)) if m else None

    printed = _PRINTED.search(text)
    return Header(
        programme=(find(_PROGRAMME, "programme") or "").replace(" ", "") or None,
        commune=find(_COMMUNE, "commune"), status=find(_STATUS, "status"), number=find(_NUMBER, "number"),
        printed_on=f"{printed['y']}-{int(printed['m']):02d}-{int(printed['d']):02d}" if printed else None,
    )


def parse(lines: list[Line], source: str) -> tuple[list[ActionRecord], list[str]]:
    """The plan's entries as actions, and a warning for each entry the copy cuts off."""
    actions: list[ActionRecord] = []
    warnings: list[str] = []
    for line in lines:
        m = _ENTRY.match(line.text)
        if not m:
            continue
        number, title = int(m["number"]), m["title"]
        if _CUT.search(title):
            kept = normalize_space(_CUT.sub("", title))
            warnings.append(f"{where(source, line)}:{line.number}: l'action {number} est coupée dans cette copie "
                            f"(« {kept} … ») : elle n'est pas versée, son intitulé complet n'étant pas connu")
            continue
        title = normalize_space(title)
        if not title:
            raise InputError(where(source, line), f"action {number} sans intitulé", line=line.number,
                             expected="5.N Action N : intitulé")
        if int(m["section"]) != number:
            warnings.append(f"{where(source, line)}:{line.number}: section 5.{m['section']} pour l'action {number}")
        actions.append(ActionRecord(
            label=title, span=SourceSpan(source, line=line.number, page=line.page, text=line.text.strip()),
            sequence=number, partners=partners_in(title),
        ))
    if not actions:
        raise InputError(source, "aucune action « 5.N Action N : intitulé » dans le plan imprimé",
                         expected="le plan d'action d'un plan signé imprimé par l'application régionale")
    numbers = [a.sequence for a in actions]
    if len(set(numbers)) != len(numbers):
        raise InputError(source, "numéro d'action répété dans le plan imprimé",
                         expected="chaque « Action N » une seule fois")
    return actions, warnings


def partners_in(title: str) -> tuple[PartnerRecord, ...]:
    """Organisations named in parentheses: '(CALIF ASBL)', '(ISoSL)'; a service name '(Abri de nuit)' is not one."""
    found = []
    for text in _PARENTHESES.findall(title):
        name = normalize_space(text)
        if partner_kind(name) != "OtherPartner" or _ACRONYM.match(name):
            found.append(partner(name))
    return tuple(found)
