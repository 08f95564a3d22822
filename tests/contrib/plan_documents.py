"""The plans the contribution tests upload: a Word table of Gerpinnes' actions, as a commune writes one.

    data = gerpinnes_docx(tmp_path)             # bytes of a .docx: 6 actions, one of them without a code
    data = gerpinnes_docx(tmp_path, SECOND)     # the second version: 5 actions, one label changed
"""

from __future__ import annotations

from pathlib import Path

from tests.documents import write_docx

HEADER = ["Code", "Action", "Partenaires"]
FIRST = [
    ["1.1.06", "Ecole de devoirs du Try-Bosquet", "ASBL Les Devoirs"],
    ["2.2.02", "Permanences logement au CPAS", "CPAS de Gerpinnes"],
    ["3.2.01", "Prévention des assuétudes dans les écoles", ""],
    ["", "Gym douce et balades pour les aînés isolés", ""],
    ["5.5.01", "Fête des voisins de Loverval", "Comité de quartier"],
    ["6.1.02", "Formation à l'informatique pour débutants", "Bibliothèque communale"],
]
SECOND = [
    ["1.1.06", "Ecole de devoirs du Try-Bosquet", "ASBL Les Devoirs"],
    ["2.2.02", "Permanences logement au CPAS", "CPAS de Gerpinnes"],
    ["3.2.01", "Prévention des assuétudes dans les écoles secondaires", ""],
    ["5.5.01", "Fête des voisins de Loverval", "Comité de quartier"],
    ["6.1.02", "Formation à l'informatique pour débutants", "Bibliothèque communale"],
]
LABELS = [row[1] for row in FIRST]


def gerpinnes_docx(folder: Path, rows: list[list[str]] = FIRST, name: str = "plan-gerpinnes.docx") -> bytes:
    path = write_docx(folder / name, ["Plan de cohésion sociale de Gerpinnes 2020-2025", "Les actions du plan :"],
                      table=[HEADER, *rows])
    return path.read_bytes()
