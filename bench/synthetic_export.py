"""A synthetic regional export of coded actions over the 262 communes, as CSV files a real `pcs ingest` reads.

    paths = write_export(Path("/tmp/export"), actions=20_000, files=2)    # two CSV files of 10,000 rows

Each row: commune, NIS code, programme, an action-type code of the nomenclature the Mons page teaches
(29 codes, read by the real parser), a label varied from that type's label with everyday wording
and the commune's name (no two actions of a commune share a code and a label, so every label is
distinct: the worst case for "embed each distinct text once"), a target public, sometimes a partner (20% of them "article 20").
Used by bench/store_speed.py and by the tests that need a store big enough for a build to take a while.
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pcs_graph.config import CORPUS_DIR  # noqa: E402
from pcs_graph.graph.reference import CommuneDirectory  # noqa: E402

PUBLICS = ["jeunes", "aînés", "familles", "tout public", "personnes précarisées", "primo-arrivants",
           "personnes handicapées", "demandeurs d'emploi"]
# first words of the label: the action's URI key is the code and the label's first ~50 characters
WORDING = ["", "Jeunes : ", "Aînés : ", "Familles : ", "Avec les habitants : ", "Publics précarisés : ",
           "En soirée : ", "Le mercredi : "]
HEADER = ["commune", "nis_code", "programme", "code", "label", "partners", "article 20", "public"]


def learned_nomenclature() -> dict[str, str]:
    """The action types and labels the Mons page teaches (29 codes), read by the real parser."""
    from pcs_graph.ingest.parse import parse_document

    doc = parse_document(CORPUS_DIR / "mons_pcs_2020-2025.txt", CommuneDirectory.load())
    return {a.code: a.label for a in doc.actions if a.code}


def export_rows(actions: int, seed: int = 12) -> list[list[str]]:
    rng = random.Random(seed)
    communes = CommuneDirectory.load().communes
    nomenclature = learned_nomenclature()
    codes = sorted(nomenclature)
    combos = [(code, wording) for code in codes for wording in WORDING]  # 232 distinct labels per commune
    if actions > len(combos) * len(communes):
        raise ValueError(f"at most {len(combos) * len(communes)} distinct actions")
    per_commune = {c.nis: rng.sample(combos, len(combos)) for c in communes}  # drawn without replacement
    rows = []
    for i in range(actions):
        c = communes[i % len(communes)]
        code, wording = per_commune[c.nis][i // len(communes)]
        label = f"{wording}{nomenclature[code]} à {c.name}"
        partner, art20 = "", ""
        if rng.random() < 0.4:
            partner = f"ASBL Partenaire {rng.randrange(5000)}"
            art20 = "oui" if rng.random() < 0.2 else ""
        rows.append([c.name, c.nis, "2020-2025", code, label, partner, art20, rng.choice(PUBLICS)])
    return rows


def write_export(directory: Path, actions: int, files: int = 2, seed: int = 12) -> list[Path]:
    """`files` CSV files of about actions/files rows each (a table holds at most 20,000 rows)."""
    directory.mkdir(parents=True, exist_ok=True)
    rows = export_rows(actions, seed)
    per_file = -(-len(rows) // files)
    paths = []
    for k in range(files):
        path = directory / f"export_pcs_{k + 1}.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(HEADER)
            writer.writerows(rows[k * per_file:(k + 1) * per_file])
        paths.append(path)
    return paths
