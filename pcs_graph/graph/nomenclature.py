"""The regional nomenclature `axis.theme.action` (`5.5.01`): parsing and normalising codes.

The official list of themes and action types is not public, so the scheme is open: a well-formed
code printed in a document creates or confirms its theme and action type; an official catalogue
(CSV: code, label, read by `pcs_graph.ingest.catalogue`) loaded later merges into the same URIs.

    parse_code("5.5.01")        # Code(axis=5, theme=5, action=1); str() gives '5.5.01'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InputError, InvalidCodeError

CODE_SHAPE = "axe.thème.action, par ex. 5.5.01 (axe 1 à 7, action sur deux chiffres)"
_ACTION_CODE = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
_THEME_CODE = re.compile(r"^(\d+)\.(\d+)$")


@dataclass(frozen=True)
class Code:
    axis: int
    theme: int
    action: int

    @property
    def theme_code(self) -> str:
        return f"{self.axis}.{self.theme}"

    def __str__(self) -> str:
        return f"{self.axis}.{self.theme}.{self.action:02d}"


def parse_code(text: str) -> Code:
    """'5.5.01' → Code(5, 5, 1); anything else raises InvalidCodeError saying what is wrong."""
    text = text.strip()
    m = _ACTION_CODE.match(text)
    if not m:
        if _THEME_CODE.match(text):
            raise InvalidCodeError(text, "c'est un code de thème (x.y), pas un code d'action (x.y.zz)")
        raise InvalidCodeError(text, "ce n'est pas un code de la forme x.y.zz")
    axis, theme, action = (int(g) for g in m.groups())
    if not 1 <= axis <= 7:
        raise InvalidCodeError(text, f"l'axe {axis} n'existe pas (les axes vont de 1 à 7)")
    if theme < 1 or theme > 99:
        raise InvalidCodeError(text, "le thème doit être un nombre de 1 à 99")
    if len(m.group(3)) != 2 or action < 1:
        raise InvalidCodeError(text, "le numéro d'action s'écrit sur deux chiffres, de 01 à 99")
    return Code(axis, theme, action)


@dataclass(frozen=True)
class CatalogueEntry:
    code: str  # an action-type code x.y.zz or a theme code x.y
    label: str
    line: int

    @property
    def is_theme(self) -> bool:
        return bool(_THEME_CODE.match(self.code))


def catalogue_code(code: str, source: str, line: int) -> str:
    """An action-type code normalised (`5.5.1` refused, `5.05.01` → `5.5.01`), or a theme code `x.y`."""
    m = _THEME_CODE.match(code)
    if m is None:
        try:
            return str(parse_code(code))
        except InvalidCodeError as e:
            raise InputError(source, str(e), line=line, expected=CODE_SHAPE) from None
    axis, theme = int(m.group(1)), int(m.group(2))
    if not 1 <= axis <= 7 or not 1 <= theme <= 99:
        raise InputError(source, f"thème {code!r} invalide : axe de 1 à 7, thème de 1 à 99", line=line,
                         expected="un code de thème x.y, par ex. 5.5")
    return f"{axis}.{theme}"
