"""Uploaded files are checked from their bytes and parsed in a limited child process.

The HTTP side (413, the store left unchanged) is tested in tests/api/test_contributions_hostile.py.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from pcs_graph.errors import InputError
from pcs_graph.ingest.safety import UploadLimits, UploadRefused, check_upload, display_name
from pcs_graph.ingest.sandbox import parse_upload
from pcs_graph.config import CORPUS_DIR
from tests.documents import write_docx, write_odt, write_pdf
from tests.ingest.hostile import empty_pages_pdf, zip_bomb_docx

LIMITS = UploadLimits()


def refusal(data: bytes, name: str, limits: UploadLimits = LIMITS) -> UploadRefused:
    with pytest.raises(UploadRefused) as e:
        check_upload(data, name, limits)
    return e.value


def test_a_zip_bomb_dressed_as_a_word_document_is_refused_before_anything_is_decompressed():
    bomb = zip_bomb_docx(1100)  # 1.1 Go of zeros once decompressed
    assert len(bomb) < 6 * 1024 * 1024
    e = refusal(bomb, "plan.docx")
    assert e.status == 422
    assert "se décompresserait en 1,1 Go" in e.message and "bombe de décompression" in e.message


def test_a_highly_compressed_entry_is_refused_even_under_the_total_size():
    e = refusal(zip_bomb_docx(150), "plan.docx")  # 150 Mo: under the total, but a thousand to one
    assert "compressé" in e.message and "bombe de décompression" in e.message


def test_a_file_over_the_size_limit_is_413():
    e = refusal(b"x" * 2000, "plan.txt", replace(LIMITS, max_bytes=1000))
    assert e.status == 413 and e.message.startswith("fichier trop volumineux")


def test_the_type_comes_from_the_content_not_the_extension(tmp_path):
    e = refusal(b"<!DOCTYPE html><html><body><ul><li>Potager</li></ul></body></html>", "plan.pdf")
    assert e.status == 415
    assert e.message == "« plan.pdf » porte l'extension .pdf mais son contenu est une page HTML"
    pdf = write_pdf(tmp_path / "p.pdf", [["Plan"]]).read_bytes()
    assert check_upload(pdf, "plan.txt", LIMITS).form == "pdf"  # a text extension is only a hint
    docx = write_docx(tmp_path / "p.docx", ["Plan"]).read_bytes()
    assert "son contenu est un document Word" in refusal(docx, "plan.odt").message
    assert check_upload(b"label;commune\nPotager;Gerpinnes\n", "plan.csv", LIMITS).form == "csv"
    assert "ancien document Microsoft Office" in refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "p.doc").message
    assert "archive ZIP illisible" in refusal(b"PK\x03\x04 broken", "plan.docx").message


def test_the_name_given_is_shown_never_used_as_a_path():
    assert display_name("../../etc/passwd") == "passwd"
    assert display_name("C:\\Users\\chef\\Plan PCS.docx") == "Plan PCS.docx"
    assert display_name("<script>.txt") == "script.txt"
    assert display_name("") == "document"


def test_a_pdf_of_ten_thousand_empty_pages_is_refused_by_its_page_count():
    data = empty_pages_pdf(10_000)
    checked = check_upload(data, "plan.pdf", LIMITS)
    with pytest.raises(InputError) as e:
        parse_upload(data, checked, LIMITS)
    assert str(e.value) == "plan.pdf: 10000 pages : trop pour un document de plan (attendu : au plus 500 pages)"


def test_a_parse_that_needs_too_much_cpu_or_memory_is_stopped_and_reported(tmp_path):
    pages = [[f"Ligne {i} de la page {p} du plan de cohésion sociale" for i in range(45)] for p in range(30)]
    data = write_pdf(tmp_path / "long.pdf", pages).read_bytes()  # ~4 s of pdfplumber here
    checked = check_upload(data, "long.pdf", LIMITS)
    with pytest.raises(UploadRefused) as e:
        parse_upload(data, checked, replace(LIMITS, cpu_seconds=1))
    assert e.value.message.startswith("l'analyse de « long.pdf » a dépassé 1 s de calcul et a été arrêtée")
    with pytest.raises(UploadRefused) as e:
        parse_upload(data, checked, replace(LIMITS, memory_bytes=120 * 1024 * 1024))
    # MemoryError in Python, or a C library that cannot allocate and crashes: both name the limit
    assert e.value.message.startswith("l'analyse de « long.pdf » ") and "120 Mo de mémoire" in e.value.message


def test_a_parse_that_runs_past_the_wall_clock_is_killed():
    data = (CORPUS_DIR / "mons_pcs_2020-2025.txt").read_bytes()
    with pytest.raises(UploadRefused) as e:
        parse_upload(data, check_upload(data, "mons.txt", LIMITS), replace(LIMITS, wall_seconds=0.05))
    assert e.value.message == "l'analyse de « mons.txt » a dépassé 0,05 s et a été arrêtée : document trop lourd"


def test_a_good_document_is_parsed_in_the_child_as_pcs_ingest_parses_it(tmp_path):
    data = (CORPUS_DIR / "mons_pcs_2020-2025.txt").read_bytes()
    doc = parse_upload(data, check_upload(data, "../Plan de Mons.txt", LIMITS), LIMITS)
    assert (doc.nis, doc.programme, len(doc.actions), doc.file_name) == ("53053", "2020-2025", 32, "Plan de Mons.txt")
    first = doc.actions[0]
    assert (first.label, first.code, first.span.file, first.span.line) == (
        "Initiatives menées par les écoles de devoirs", "1.1.06", "Plan de Mons.txt", 29)
    assert first.partners[0].name == "ASBL Chantecler" and first.partners[0].article20


def test_a_parser_error_names_the_file_as_given_not_the_server_path():
    data = b"Ceci n'est pas un plan, aucune commune ici.\n- une ligne\n"
    with pytest.raises(InputError) as e:
        parse_upload(data, check_upload(data, "notes.txt", LIMITS), LIMITS)
    assert e.value.source == "notes.txt" and "pcs-upload" not in str(e.value)
    assert e.value.message == "aucune liste d'actions trouvée"


def _xlsx(path, rows):
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


ROWS = [["Code", "Action", "Partenaires"], ["5.5.01", "Fête des voisins de Loverval", "Comité de quartier"],
        ["", "Gym douce et balades pour les aînés isolés", ""]]


@pytest.mark.parametrize("name, write", [
    ("plan.pdf", lambda p: write_pdf(p, [["Plan de cohésion sociale de Gerpinnes 2020-2025", "Nos actions :",
                                          "- Fête des voisins de Loverval", "- Gym douce et balades pour les aînés isolés"]])),
    ("plan.odt", lambda p: write_odt(p, ["Plan de cohésion sociale de Gerpinnes 2020-2025", "Les actions du plan :"],
                                     table=ROWS)),
    ("plan.xlsx", lambda p: _xlsx(p, ROWS)),
    ("plan.csv", lambda p: p.write_text("\n".join(";".join(r) for r in ROWS), encoding="utf-8") and p),
    ("plan.html", lambda p: p.write_text("<html><body><h1>PCS de Gerpinnes 2020-2025</h1><p>Nos actions :</p><ul>"
                                         "<li>Fête des voisins de Loverval</li><li>Gym douce et balades pour les aînés "
                                         "isolés</li></ul></body></html>", encoding="utf-8") and p),
])
def test_every_form_pcs_ingest_reads_is_read_in_the_sandbox(tmp_path, name, write):
    data = write(tmp_path / name).read_bytes()
    checked = check_upload(data, name, LIMITS)
    assert checked.form == name.rsplit(".", 1)[1]
    doc = parse_upload(data, checked, LIMITS, commune="52025", programme="2020-2025")
    assert [a.label for a in doc.actions] == ["Fête des voisins de Loverval", "Gym douce et balades pour les aînés isolés"]
    assert doc.nis == "52025" and doc.file_name == name
