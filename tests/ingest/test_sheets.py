"""Reading practice sheets from what sources print: each rule, then the real corpus rows the issue names."""

from __future__ import annotations

import pytest

from pcs_graph.graph.records import Publication
from pcs_graph.graph.sheet import read_sheet
from pcs_graph.ingest.sheets import (plan_page_contact, read_period, read_publics, read_results, read_sheet_text,
                                     read_status)
from pcs_graph.load import Ingestor

from conftest import PUBLIC_SOURCES_2


@pytest.mark.parametrize(("text", "expected"), [
    ("abandonnée en 2023", ("stopped", "2023", "abandonnée en 2023")),
    ("abandonné en 2014 faute de participants adultes",
     ("stopped", "2014", "abandonné en 2014 faute de participants adultes")),
    ("suspendu en septembre 2021", ("suspended", "2021-09", "suspendu en septembre 2021")),
    ("micro-trottoir (postposé à 2021)", ("planned", "2021", "postposé à 2021")),
    ("rayées du plan 2023 car trop coûteuses", ("stopped", "2023", "rayées du plan 2023 car trop coûteuses")),
    ("ajoutés au plan 2023", ("planned", "2023", "ajoutés au plan 2023")),
    ("projet terminé en juin 2022", ("completed", "2022-06", "terminé en juin 2022")),
    ("l'atelier fonctionne toujours", ("running", None, "fonctionne toujours")),
])
def test_a_status_is_read_with_its_date_and_words(text, expected):
    assert read_status(text) == expected


@pytest.mark.parametrize("text", [
    "continuer l'action potager communautaire déjà mise en place",
    "en 2023 ne fonctionnera plus qu'avec l'intervention d'un coiffeur",
    "le PCS voudrait élargir l'offre du taxi-social du CPAS",
    "renouvelée en 2014",
    "",
])
def test_nothing_stated_is_no_status(text):
    assert read_status(text) == (None, None, None)


def test_publics_are_read_after_a_word_saying_for_whom_with_the_words_read():
    assert read_publics("une halte accueil tous les jeudis à la cafétéria du Maka pour les 0 - 3 ans") == (
        ("enfants",), ("0 - 3 ans",))
    assert read_publics("appel aux 13-16 ans") == (("jeunes",), ("13-16 ans",))
    assert read_publics("activités gratuites pour les plus de 60 ans") == (("aines",), ("plus de 60 ans",))
    assert read_publics("gratuit pour demandeurs d'emploi et bénéficiaires du RIS") == (
        ("demandeurs-emploi", "allocataires-sociaux"), ("demandeurs d'emploi", "bénéficiaires du RIS"))
    assert read_publics("quatre lieux ouverts à tous") == (("tout-public",), ("ouverts à tous",))
    assert read_publics("Cyber Espace pour les plus âgés") == (("aines",), ("plus âgés",))


def test_a_public_word_with_no_marker_before_it_is_not_read():
    # a guide's themes, a service's name: not who the action is for
    assert read_publics("références classées par thème (famille, garde d'enfants, adolescents, seniors)") == ((), ())
    assert read_publics("services: Relais de l'Emploi, Maison des Parents") == ((), ())


def test_periods_stated_are_read_and_relative_ones_are_not():
    assert read_period("période d'activité du 4 au 15 juillet 2022") == ("2022-07-04", "2022-07-15")
    assert read_period("itinérante du 27 juin au 23 juillet 2022") == ("2022-06-27", "2022-07-23")
    assert read_period("organisé pour la première fois fin janvier 2020") == ("2020-01", None)
    assert read_period("première édition (2023): informer") == ("2023", None)
    assert read_period("organisées depuis dix ans") == (None, None)


def test_figures_are_kept_with_their_sentence_and_years_are_not_figures():
    assert read_results("organisé fin janvier 2020; ~40 personnes, 10 réparateurs bénévoles; partie café") == (
        "~40 personnes, 10 réparateurs bénévoles",)
    assert read_results("huit habitants d'Ouffet") == ("huit habitants d'Ouffet",)
    assert read_results("une vingtaine de jeunes par an") == ("une vingtaine de jeunes par an",)
    assert read_results("abandonné en 2014 faute de participants adultes") == ()


def test_a_contact_is_only_a_pcs_page_a_commune_publishes():
    page = Publication("https://www.yvoir.be/fr/ma-commune/social/plan-de-cohesion-sociale/plan-de-cohesion-sociale",
                       "commune-page")
    assert plan_page_contact(page) == page.url
    assert plan_page_contact(Publication("https://www.lavenir.net/x-plan-de-cohesion-sociale", "press")) is None
    assert read_sheet_text("Repair café", None).contact is None


@pytest.fixture(scope="module")
def second_table(tmp_path_factory):
    from pcs_graph.config import Settings
    from pcs_graph.store.workspace import Workspace

    root = tmp_path_factory.mktemp("sheets")
    with Workspace(Settings(store=str(root / "store"), index_dir=str(root / "index"))) as ws:
        Ingestor.of(ws).ensure_reference()
        Ingestor.of(ws).ingest(PUBLIC_SOURCES_2)
        yield ws


def _sheet(ws, commune_nis: str, label: str):
    rows = ws.store.select(f'SELECT ?a WHERE {{ ?a a pcs:Action ; rdfs:label "{label}"@fr ; '
                           f'pcs:commune/pcs:nisCode "{commune_nis}" }}')
    assert len(rows) == 1, rows
    return read_sheet(ws.store, ws.uris, rows[0]["a"])


def test_ferrieres_stress_awareness_stopped_in_2023(second_table):
    sheet = _sheet(second_table, "61019", "sensibilisation sur les risques liés au stress")
    assert (sheet.status, sheet.status_date, sheet.status_as_printed) == ("stopped", "2023", "abandonnée en 2023")


def test_nandrin_djembe_workshop_stopped_in_2014(second_table):
    sheet = _sheet(second_table, "61043", "atelier djembé")
    assert (sheet.status, sheet.status_date) == ("stopped", "2014")


def test_an_action_whose_source_states_nothing_has_no_status(second_table):
    sheet = _sheet(second_table, "61019", "café papote")
    assert sheet.status is None and sheet.status_date is None and sheet.description is None
    assert not second_table.store.ask('ASK { ?a rdfs:label "café papote"@fr ; pcs:status ?s }')


def test_yvoir_bebebus_has_its_description_and_the_public_children(second_table):
    sheet = _sheet(second_table, "91141", "Soutien au BébéBus")
    assert sheet.description == "une halte accueil tous les jeudis à la cafétéria du Maka pour les 0 - 3 ans"
    assert sheet.publics == ("enfants",) and sheet.publics_read == ("0 - 3 ans",)
    assert sheet.contact and sheet.contact.startswith("https://www.yvoir.be/")


def test_every_sheet_fact_is_in_the_graph_of_the_document_with_the_label(second_table):
    assert not second_table.store.ask("""ASK { GRAPH ?g { ?a pcs:status ?s } FILTER NOT EXISTS { GRAPH ?g { ?a rdfs:label ?l } } }""")
    assert second_table.store.ask("""ASK { ?a pcs:status pcs:StatusStopped ; dcterms:source ?url .
      ?url dcterms:type pcs:PressArticle }""")
