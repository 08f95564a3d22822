"""A page listing uncoded actions as bullets, as Hastière publishes it.

Only the bullet groups that the page announces as actions ("différentes actions seront mises en
œuvre :") are read; the objectives and the list of axes that such pages also bullet are not actions.
Each bullet becomes an action with no action type (to be classified later).
"""

from __future__ import annotations

import re

from pcs_graph.errors import InputError
from pcs_graph.graph.records import ActionRecord, SourceSpan
from pcs_graph.text import fold, normalize_space

from ..lines import Line

NAME = "bullet-list"

_BULLET = re.compile(r"^\s*(?:[•·▪◦●○■□➢➤►\-–—*]|\d{1,2}[.)])\s+(?P<text>\S.*)$")
_NOT_AN_ACTION = re.compile(r"^(…|\.\.\.|etc\b)", re.I)
_ANNOUNCES_ACTIONS = re.compile(r"\b(actions?|projets?|activites)\b")
_ANNOUNCES_AXES = re.compile(r"\b(axes?|droits fondamentaux)\b")


def bullet_text(line: Line) -> str | None:
    if line.bullet:
        return line.text
    m = _BULLET.match(line.text)
    return m.group("text") if m else None


def _groups(lines: list[Line]) -> list[tuple[str, list[tuple[Line, str]]]]:
    """Consecutive bullets (blank lines allowed between them), each with the text line before it."""
    groups: list[tuple[str, list[tuple[Line, str]]]] = []
    intro, current = "", []
    for line in lines:
        text = bullet_text(line)
        if text is not None:
            current.append((line, text))
        elif line.text.strip():
            if current:
                groups.append((intro, current))
                current = []
            intro = line.text
    if current:
        groups.append((intro, current))
    return groups


def parse(lines: list[Line], source: str) -> list[ActionRecord]:
    actions = []
    for intro, bullets in _groups(lines):
        if not _ANNOUNCES_ACTIONS.search(fold(intro)) or _ANNOUNCES_AXES.search(fold(intro)):
            continue
        for line, text in bullets:
            label = normalize_space(text).rstrip(" .;")
            if not label or _NOT_AN_ACTION.match(label):
                continue
            actions.append(ActionRecord(
                label=label, span=SourceSpan(source, line=line.number, page=line.page, text=line.text.strip())
            ))
    if not actions:
        raise InputError(source, "aucune liste d'actions trouvée",
                         expected="des lignes « NN x.y.zz libellé » ou une liste à puces annoncée par "
                                  "une phrase qui parle d'actions")
    return actions


_LEADER = re.compile(
    r"(?P<name>[A-ZÀ-Ý][\w'’-]+(?:\s+[A-ZÀ-Ý][\w'’-]+){1,3})\s*,?\s*(?:notre\s+|votre\s+)?(?i:chef(?:fe)?\s+de\s+projet)"
    r"|(?i:chef(?:fe)?\s+de\s+projet)\s*(?:du\s+PCS)?\s*:\s*(?P<name2>[A-ZÀ-Ý][\w'’-]+(?:\s+[A-ZÀ-Ý][\w'’-]+){1,3})"
)


def project_leader(text: str) -> str | None:
    """'Contactez Clément Rosier, Chef de projet du PCS' → 'Clément Rosier'."""
    for m in _LEADER.finditer(text):
        name = m.group("name") or m.group("name2")
        words = name.split()
        if words and words[0].lower() in {"contactez", "contacter", "contact", "le", "la", "madame", "monsieur"}:
            words = words[1:]
        if len(words) >= 2:
            return " ".join(words)
    return None
