"""The practice sheet contract: validation, the triples it writes, and reading it back from a real store."""

from __future__ import annotations

from pcs_graph.graph.ntriples import Triples
from pcs_graph.graph.sheet import PUBLICS, STATUSES, PracticeSheet, read_sheet, sheet_triples, validate_sheet
from pcs_graph.graph.uris import Uris
from pcs_graph.graph.validation import validate_graph

ACTION = "https://w3id.org/pcs/id/action/61019/2020-2025/stress"


def test_statuses_and_publics_are_the_schemes_codes():
    assert list(STATUSES) == ["planned", "running", "suspended", "stopped", "completed"]
    assert "enfants" in PUBLICS and PUBLICS["aines"] == "Aînés"


def test_a_valid_sheet_has_no_error():
    sheet = PracticeSheet(description="abandonnée en 2023", status="stopped", status_date="2023",
                          status_as_printed="abandonnée en 2023", publics=("aines",), start_date="2021-09")
    assert validate_sheet(sheet) == []


def test_errors_name_the_field_the_value_and_what_is_expected():
    errors = validate_sheet(PracticeSheet(status="abandoned", publics=("seniors",), status_date="2023-13",
                                          start_date="2022", end_date="2021", contact=" "))
    assert any(e.startswith("status: statut inconnu 'abandoned'") and "stopped" in e for e in errors)
    assert any(e.startswith("publics: public inconnu 'seniors'") and "aines" in e for e in errors)
    assert any(e.startswith("status_date: date mal formée '2023-13'") for e in errors)
    assert any(e.startswith("end_date: fin 2021 avant le début 2022") for e in errors)
    assert any(e.startswith("contact: texte vide") for e in errors)
    assert validate_sheet(PracticeSheet(status_date="2023")) == [
        "status_date: une date de statut sans statut / a status date without a status"]
    assert validate_sheet(PracticeSheet(start_date="2021-02-30"))[0].startswith("start_date: date mal formée")


def test_a_sheet_is_written_and_read_back_from_a_real_store(workspace):
    sheet = PracticeSheet(description="23 personnes; abandonnée en 2023", publics=("aines", "enfants"),
                          status="stopped", status_date="2023", status_as_printed="abandonnée en 2023",
                          start_date="2021-09", results=("23 personnes",), contact="pcs@example.be",
                          publics_read=("les aînés", "0 - 3 ans"))
    t = Triples()
    sheet_triples(t, Uris(), ACTION, sheet)
    assert '"2023"^^<http://www.w3.org/2001/XMLSchema#gYear>' in t.text()
    assert "<https://w3id.org/pcs/ontology#StatusStopped>" in t.text()
    graph = Uris().graph("test-sheet")
    workspace.store.update(f"INSERT DATA {{ GRAPH <{graph}> {{ {t.text()} }} }}")
    back = read_sheet(workspace.store, Uris(), ACTION)
    assert back == PracticeSheet(description=sheet.description, publics=("enfants", "aines"), status="stopped",
                                 status_date="2023", status_as_printed="abandonnée en 2023", start_date="2021-09",
                                 results=("23 personnes",), contact="pcs@example.be",
                                 publics_read=("0 - 3 ans", "les aînés"))


def test_nothing_stated_reads_as_an_empty_sheet(workspace):
    assert read_sheet(workspace.store, Uris(), ACTION).empty


def test_an_invalid_sheet_is_never_written():
    t = Triples()
    try:
        sheet_triples(t, Uris(), ACTION, PracticeSheet(status="gone"))
    except ValueError as e:
        assert "statut inconnu 'gone'" in str(e)
    else:
        raise AssertionError("an unknown status was written")
    assert len(t) == 0


def test_the_shapes_accept_a_sheet_and_refuse_two_statuses():
    t = Triples()
    a = f"<{ACTION}>"
    t.add(a, "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", "<https://w3id.org/pcs/ontology#Action>")
    t.add(a, "<http://www.w3.org/2000/01/rdf-schema#label>", '"stress"@fr')
    t.add(a, "<https://w3id.org/pcs/ontology#commune>", "<https://w3id.org/pcs/id/commune/61019>")
    sheet_triples(t, Uris(), ACTION, PracticeSheet(status="stopped", status_date="2023", publics=("aines",)))
    report = validate_graph(t.graph())
    sheet_paths = {"pcs:status", "pcs:statusDate", "pcs:targetGroup"}
    assert not [v for v in report.violations if v.path in sheet_paths], report.to_text()
    sheet_triples(t, Uris(), ACTION, PracticeSheet(status="running"))
    report = validate_graph(t.graph())
    assert [v.path for v in report.violations if v.path in sheet_paths] == ["pcs:status"]


def test_partners_as_names_or_mappings_are_written_and_where_a_commune_states_some_they_replace_the_documents(
        workspace):
    from pcs_graph.graph.sheet import SheetPartner, partner_pattern

    uris = Uris()
    sheet = PracticeSheet(partners=(" CPAS  de Ferrières", {"name": "ASBL Lire", "kind": "ASBL", "article20": True}))
    assert sheet.partners == (SheetPartner("CPAS de Ferrières"), SheetPartner("ASBL Lire", "ASBL", True))
    assert validate_sheet(sheet) == []
    document, own = Triples(), Triples()
    document.add(f"<{ACTION}>", "<https://w3id.org/pcs/ontology#partner>", f"<{uris.partner('CPAS')}>")
    document.add(f"<{ACTION}>", "<https://w3id.org/pcs/ontology#article20Partner>", f"<{uris.partner('CPAS')}>")
    sheet_triples(own, uris, ACTION, sheet)
    assert f"<{uris.partner('ASBL Lire')}>" in own.text() and "article20Partner" in own.text()
    workspace.store.update(f"INSERT DATA {{ GRAPH <{uris.document('ferrieres')}> {{ {document.text()} }} "
                           f"GRAPH <{uris.graph('contribution/action/61019/2020-2025/stress')}> {{ {own.text()} }} "
                           f"GRAPH <{uris.graph('registry')}> {{ <{uris.partner('ASBL Lire')}> "
                           f"<http://www.w3.org/2000/01/rdf-schema#label> \"ASBL Lire\"@fr }} }}")
    back = read_sheet(workspace.store, uris, ACTION)
    assert [(p.name, p.article20) for p in back.partners] == [("ASBL Lire", True), ("cpas-de-ferrieres", False)]
    current = workspace.store.select(f"SELECT ?p WHERE {{ {partner_pattern(f'<{ACTION}>', '?p', '?g')} }} ORDER BY ?p")
    assert [r["p"] for r in current] == [str(uris.partner("ASBL Lire")), str(uris.partner("CPAS de Ferrières"))]
