"""A page listing coded actions, as Mons publishes it: `NN x.y.zz label [ART 20 partner]`.

    01  1.1.06 Initiatives menées par les écoles de devoirs ART 20 ASBL Chantecler
    21 5.4.01Activités régulières d'intégration collective ...

A line that has the shape of an action line but a code outside the nomenclature (`9.9.99`, `5.5`)
is an error naming the line, never silently skipped.
"""

from __future__ import annotations

import re

from pcs_graph.errors import InputError, InvalidCodeError
from pcs_graph.graph.nomenclature import CODE_SHAPE, parse_code
from pcs_graph.graph.records import ActionRecord, SourceSpan
from pcs_graph.text import normalize_space

from ..lines import Line, where
from .partners import split_article20

NAME = "coded-list"

# optional sequence number, then something code-like, then the label (maybe glued to the code).
# The code starts with one digit (axes are 1-7): "065 40.52.10" (a phone number) is not an action line.
_ACTION_LINE = re.compile(
    r"^\s*(?:[•\-*–]\s*)?(?:(?P<seq>\d{1,3})[.)]?\s+)?(?P<code>\d(?:\.\d{1,2}){1,3})\.?(?=\s|[A-Za-zÀ-ÿ«\"'])\s*(?P<label>\S.*)$"
)
_STRICT_CODE = re.compile(r"\d\.\d{1,2}\.\d{2}$")


def is_coded_line(line: Line) -> bool:
    m = _ACTION_LINE.match(line.text)
    return bool(m and _STRICT_CODE.match(m.group("code")))


def looks_coded(lines: list[Line]) -> bool:
    """A document is a coded list when at least two of its lines carry a full x.y.zz code."""
    return sum(is_coded_line(line) for line in lines) >= 2


def parse(lines: list[Line], source: str) -> list[ActionRecord]:
    actions = []
    for line in lines:
        m = _ACTION_LINE.match(line.text)
        if not m:
            continue
        code_text = m.group("code")
        if not m.group("seq") and not _STRICT_CODE.match(code_text):
            continue  # "2.5 millions" in running text without a leading number is not an action line
        try:
            code = parse_code(code_text)
        except InvalidCodeError as e:
            raise InputError(where(source, line), str(e), line=line.number, expected=CODE_SHAPE) from None
        label, partner = split_article20(normalize_space(m.group("label")))
        if not label:
            raise InputError(where(source, line), "action sans libellé", line=line.number, expected="NN x.y.zz libellé")
        actions.append(ActionRecord(
            label=label,
            span=SourceSpan(source, line=line.number, page=line.page, text=line.text.strip()),
            code=str(code),
            code_as_printed=code_text,
            sequence=int(m.group("seq")) if m.group("seq") else None,
            partners=(partner,) if partner else (),
        ))
    return actions
