"""The one write path: a commune's edit is a version in the database and one named graph in the store.

    service = ContributionService(ws, Database.open(url), ws.uris)
    service.edit_sheet(editor, action, PracticeSheet(status="stopped", status_date="2025"))

Runs on SQLite and on PostgreSQL, over a real on-disk store (Mons' plan and Gerpinnes' actions).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from databases import GERPINNES, SOURCES_2, database_url, editable_store, store_template  # noqa: F401 - fixtures
from pcs_graph.accounts import Accounts, Database
from pcs_graph.accounts.models import AuditEntry, ContributionVersion
from pcs_graph.config import CORPUS_DIR
from pcs_graph.contrib.backup import backup, nquads_digest, restore
from pcs_graph.contrib.reading import current_sheet, read_contribution, read_source_sheet
from pcs_graph.contrib.service import ContributionService, Forbidden, SheetInvalid
from pcs_graph.errors import PcsError, StoreError
from pcs_graph.graph.sheet import PracticeSheet, read_sheet, read_sheets
from pcs_graph.load import Ingestor
from pcs_graph.store.workspace import Workspace

PASSWORD = "une phrase de passe assez longue"


@pytest.fixture
def setup(editable_store, database_url: str):  # noqa: F811
    place = editable_store
    db = Database.open(database_url)
    accounts = Accounts(db)
    editors = {}
    for email, nis, name in (("chef@gerpinnes.be", place.nis, "PCS de Gerpinnes"), ("pcs@mons.be", "53053", "PCS de Mons")):
        issued = accounts.add(email, "editor", {nis}, name)
        accounts.accept_invitation(issued.secret, PASSWORD)
        editors[nis] = accounts.actor_for_session(accounts.sign_in(email, PASSWORD).secret)
    with Workspace(place.settings) as ws:
        yield ws, db, ContributionService(ws, db, ws.uris), place, editors
    db.close()


def versions_in_db(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(ContributionVersion)))


def test_an_edit_is_a_version_and_a_graph_of_its_own_with_who_when_and_what_before(setup):
    ws, db, service, place, editors = setup
    editor = editors[place.nis]
    first = service.edit_sheet(editor, place.action, PracticeSheet(status="running", status_date="2024"))
    second = service.edit_sheet(editor, place.action, PracticeSheet(status="stopped", status_date="2025"))
    assert (first.number, second.number, second.previous_id) == (1, 2, first.id)
    assert [v.number for v in service.history(place.action)] == [2, 1]

    contribution = read_contribution(ws.store, ws.uris, place.action)
    assert contribution.public_name == "PCS de Gerpinnes" and contribution.version == 2
    assert contribution.sheet.status == "stopped" and contribution.sheet.status_date == "2025"
    graph = contribution.graph
    assert graph.endswith("/graph/contribution/" + ws.uris.relative(place.action))
    rows = ws.store.select(f"""SELECT ?previous ?at ?name WHERE {{ GRAPH <{graph}> {{
        <{graph}> prov:wasRevisionOf ?previous ; prov:generatedAtTime ?at ; prov:wasAttributedTo ?agent .
        ?agent rdfs:label ?name ; prov:actedOnBehalfOf <{ws.uris.commune(place.nis)}> }} }}""")
    assert rows == [{"previous": f"{graph}/version/1", "at": rows[0]["at"], "name": "PCS de Gerpinnes"}]
    dump = ws.store.dump("application/n-quads").decode()
    assert "chef@gerpinnes.be" not in dump and "pcs@mons.be" not in dump  # the public name, never an e-mail
    with db.session() as s:
        assert [e.what for e in s.scalars(select(AuditEntry).where(AuditEntry.what.like("sheet.%"))
                                          .order_by(AuditEntry.id))] == ["sheet.edit", "sheet.edit"]


def test_the_commune_s_word_stands_beside_the_source_s_and_wins_where_it_speaks(setup):
    ws, db, service, place, editors = setup
    source = read_source_sheet(ws.store, ws.uris, place.action)
    service.edit_sheet(editors[place.nis], place.action, PracticeSheet(status="stopped", status_date="2025"))
    contribution = read_contribution(ws.store, ws.uris, place.action)
    sheet = current_sheet(read_source_sheet(ws.store, ws.uris, place.action), contribution)
    assert read_source_sheet(ws.store, ws.uris, place.action) == source  # the source's graph is untouched
    assert (sheet.status, sheet.status_date) == ("stopped", "2025")
    assert sheet.description == source.description  # not stated by the commune: the source's word
    assert read_sheet(ws.store, ws.uris, place.action) == sheet  # what pages, exports and the API read
    assert read_sheets(ws.store, [place.action])[place.action] == sheet


def test_restoring_makes_a_new_version_that_says_so(setup):
    ws, db, service, place, editors = setup
    editor = editors[place.nis]
    first = service.edit_sheet(editor, place.action, PracticeSheet(status="running", status_date="2024"))
    service.edit_sheet(editor, place.action, PracticeSheet(status="stopped", status_date="2025"))
    third = service.restore(editor, first.id)
    assert (third.number, third.restored_from, third.sheet.status) == (3, 1, "running")
    contribution = read_contribution(ws.store, ws.uris, place.action)
    assert contribution.sheet.status == "running" and contribution.note == "rétablit la version 1"


def test_another_commune_s_editor_is_refused_and_nothing_is_written(setup):
    ws, db, service, place, editors = setup
    before = ws.store.dump("application/n-quads")
    with pytest.raises(Forbidden, match="PCS de Mons"):
        service.edit_sheet(editors["53053"], place.action, PracticeSheet(status="stopped", status_date="2025"))
    assert ws.store.dump("application/n-quads") == before and versions_in_db(db) == 0


def test_an_invalid_sheet_is_refused_with_every_problem_named(setup):
    ws, db, service, place, editors = setup
    with pytest.raises(SheetInvalid) as refused:
        service.edit_sheet(editors[place.nis], place.action, PracticeSheet(status="fini", start_date="2025-13"))
    assert any(e.startswith("status:") for e in refused.value.errors)
    assert any(e.startswith("start_date:") for e in refused.value.errors)
    with pytest.raises(SheetInvalid, match="fiche vide"):
        service.edit_sheet(editors[place.nis], place.action, PracticeSheet())
    assert versions_in_db(db) == 0


def test_a_store_failure_rolls_the_database_back(setup, monkeypatch):
    ws, db, service, place, editors = setup
    service.edit_sheet(editors[place.nis], place.action, PracticeSheet(status="running", status_date="2024"))

    def broken(update: str) -> None:
        raise StoreError("disque plein")

    monkeypatch.setattr(ws.store, "update", broken)
    with pytest.raises(StoreError):
        service.edit_sheet(editors[place.nis], place.action, PracticeSheet(status="stopped", status_date="2025"))
    monkeypatch.undo()
    assert versions_in_db(db) == 1 and [v.number for v in service.history(place.action)] == [1]
    assert read_contribution(ws.store, ws.uris, place.action).sheet.status == "running"
    with db.session() as s:  # nor an audit line for a write that did not happen
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.what == "sheet.edit")) == 1


def test_a_failing_commit_puts_the_previous_graph_back_in_the_store(setup, monkeypatch):
    ws, db, service, place, editors = setup
    service.edit_sheet(editors[place.nis], place.action, PracticeSheet(status="running", status_date="2024"))
    graph = read_contribution(ws.store, ws.uris, place.action).graph

    def data() -> list[str]:  # every quad but the store's write stamp
        return sorted(line for line in ws.store.dump("application/n-quads").decode().splitlines()
                      if "/dc/terms/modified>" not in line)

    before = data()
    from sqlalchemy.orm import Session

    def failing_commit(self: Session) -> None:
        raise RuntimeError("connexion à la base perdue")

    monkeypatch.setattr(Session, "commit", failing_commit)
    with pytest.raises(RuntimeError, match="perdue"):
        service.edit_sheet(editors[place.nis], place.action, PracticeSheet(status="stopped", status_date="2025"))
    monkeypatch.undo()
    assert read_contribution(ws.store, ws.uris, place.action).sheet.status == "running"
    assert versions_in_db(db) == 1
    assert data() == before and any(line.endswith(f"<{graph}> .") for line in before)


def test_reingesting_the_source_never_touches_the_contribution(setup):
    ws, db, service, place, editors = setup
    service.edit_sheet(editors[place.nis], place.action, PracticeSheet(status="stopped", status_date="2025"))
    graph = read_contribution(ws.store, ws.uris, place.action).graph

    def contribution_quads() -> list[str]:
        return sorted(line for line in ws.store.dump("application/n-quads").decode().splitlines()
                      if line.endswith(f"<{graph}> ."))

    before = contribution_quads()
    source = SOURCES_2 if place.nis == GERPINNES else CORPUS_DIR / "hastiere_pcs_2020-2025.txt"
    Ingestor.of(ws).ingest(source)
    assert contribution_quads() == before and len(before) > 5


def test_backup_then_restore_into_an_empty_place_gives_the_same_dump_and_sign_in(setup, tmp_path: Path,
                                                                              database_url: str):  # noqa: F811
    ws, db, service, place, editors = setup
    service.edit_sheet(editors[place.nis], place.action, PracticeSheet(status="stopped", status_date="2025"))
    original = ws.store.dump("application/n-quads")
    report = backup(place.settings, tmp_path / "sauvegarde", database_url)
    assert report.tables["contribution_versions"] == 1 and report.quads == len(original.splitlines())
    with pytest.raises(PcsError, match="vide"):
        backup(place.settings, tmp_path / "sauvegarde", database_url)

    target = place.settings.with_(store=str(tmp_path / "ailleurs" / "store"), index_dir=str(tmp_path / "ailleurs" / "index"))
    restored_url = f"sqlite:///{tmp_path / 'ailleurs' / 'pcs.sqlite3'}"  # SQLite or PostgreSQL → SQLite
    restore(tmp_path / "sauvegarde", target, restored_url)
    with Workspace(target) as restored:
        assert nquads_digest(restored.store.dump("application/n-quads")) == nquads_digest(original)
    again = Database.open(restored_url)
    accounts = Accounts(again)
    session = accounts.sign_in("chef@gerpinnes.be", PASSWORD)
    assert accounts.actor_for_session(session.secret).public_name == "PCS de Gerpinnes"
    with Workspace(target) as restored:
        assert [v.number for v in ContributionService(restored, again).history(place.action)] == [1]
    with pytest.raises(PcsError, match="existe déjà|pas vide"):
        restore(tmp_path / "sauvegarde", target, restored_url)
    again.close()


def test_two_updates_at_the_same_moment_one_is_refused_with_a_conflict(setup, monkeypatch):
    from pcs_graph.contrib.service import Conflict

    ws, db, service, place, editors = setup
    first = service.edit_sheet(editors[place.nis], place.action, PracticeSheet(status="running", status_date="2024"))
    # the other update read the same latest version (number 1) before this one was committed
    from sqlalchemy.orm import Session

    real_scalar = Session.scalar

    def stale(self: Session, statement, *args, **kwargs):  # noqa: ANN001
        found = real_scalar(self, statement, *args, **kwargs)
        return None if isinstance(found, ContributionVersion) else found

    monkeypatch.setattr(Session, "scalar", stale)
    with pytest.raises(Conflict, match="rechargez"):
        service.edit_sheet(editors[place.nis], place.action, PracticeSheet(status="stopped", status_date="2025"))
    monkeypatch.undo()
    assert [v.number for v in service.history(place.action)] == [first.number]
    assert read_contribution(ws.store, ws.uris, place.action).sheet.status == "running"


# --- partners (issue 18: « description, public, status…, contact, partners ») ------------------------------

def partnered_action(ws: Workspace, nis: str) -> tuple[str, list[str]]:
    """An action of `nis` whose documents name partners, and their names."""
    rows = ws.store.select(f'SELECT ?a ?name WHERE {{ ?a a pcs:Action ; pcs:commune/pcs:nisCode "{nis}" ; '
                           f'pcs:partner ?p . ?p rdfs:label ?name }} ORDER BY ?a ?name')
    action = rows[0]["a"]
    return action, [r["name"] for r in rows if r["a"] == action]


def test_the_commune_s_partners_replace_the_documents_partners_everywhere(setup):
    from pcs_graph.api.catalog import Catalog
    from pcs_graph.search.actions import load_actions
    from pcs_graph.stats import counts

    ws, db, service, place, editors = setup
    action, printed = partnered_action(ws, place.nis)
    before = counts.totals(ws.store)
    service.edit_sheet(editors[place.nis], action, PracticeSheet(partners=(
        {"name": "ASBL Les Taxis  Solidaires", "kind": "ASBL", "article20": True}, printed[0].lower())))

    expected = sorted(["ASBL Les Taxis Solidaires", printed[0]], key=str.casefold)  # a known partner keeps its name
    assert [p.name for p in read_sheet(ws.store, ws.uris, action).partners] == expected
    assert [p.name for p in read_source_sheet(ws.store, ws.uris, action).partners] == printed  # the documents' word stays
    assert [p.name for p in Catalog(ws.store, ws.uris).action(ws.uris.relative(action).removeprefix("action/")).partners] \
        == expected
    found = next(a for a in load_actions(ws.store, ws.uris) if a.uri == action)
    assert [(p.name, p.kind, p.article20) for p in found.partners if p.name.startswith("ASBL Les")] == [
        ("ASBL Les Taxis Solidaires", "ASBL", True)]
    after = counts.totals(ws.store)
    assert after["partners"] == before["partners"] + 1 and after["article20"] == before["article20"] + 1
    assert "ASBL" in {c.key for c in counts.actions_per_partner_kind(ws.store)}

    graph = read_contribution(ws.store, ws.uris, action).graph
    described = ws.store.select(f"SELECT ?p ?l WHERE {{ GRAPH <{graph}> {{ ?p a pcs:Partner ; rdfs:label ?l }} }}")
    assert [r["l"] for r in described] == ["ASBL Les Taxis Solidaires"]  # a new partner is named; a known one is not


def test_a_second_commune_naming_the_same_new_partner_repeats_its_first_spelling(setup):
    ws, db, service, place, editors = setup
    service.edit_sheet(editors[place.nis], place.action, PracticeSheet(partners=("Maison des Jeunes de Loverval",)))
    service.edit_sheet(editors["53053"], place.mons_action, PracticeSheet(partners=("maison des jeunes de loverval",)))
    labels = ws.store.select(f"SELECT DISTINCT ?l WHERE {{ <{ws.uris.partner('Maison des Jeunes de Loverval')}> "
                             "rdfs:label ?l }")
    assert [r["l"] for r in labels] == ["Maison des Jeunes de Loverval"]  # one name, however the second typed it
    assert service.current(place.mons_action).sheet.partners[0].name == "maison des jeunes de loverval"  # as typed


def test_a_document_naming_a_partner_a_commune_named_first_keeps_its_one_name(setup, tmp_path: Path):
    """The commune names a new partner; a document later names it with another spelling: one label stays,
    and it stays when the commune's next version no longer names the partner."""
    from pcs_graph.graph.sheet import SheetPartner
    from pcs_graph.graph.vocab import PCS

    ws, db, service, place, editors = setup
    partner = ws.uris.partner("ASBL Les Taxis Solidaires")
    service.edit_sheet(editors[place.nis], place.action,
                       PracticeSheet(partners=(SheetPartner("ASBL Les Taxis Solidaires", kind="ASBL"),)))
    document = tmp_path / "wellin_taxis.csv"
    document.write_text("commune,nis_code,programme,action_label_as_published,partners,axis_as_stated,note,source,source_kind\n"
                        "Wellin,84075,2020-2025,Taxi social des aînés,Asbl les taxis solidaires,,,"
                        "https://www.wellin.be/taxi,commune-page\n", encoding="utf-8")
    Ingestor.of(ws).ingest(document)

    def names() -> list[tuple[str, str | None]]:
        rows = ws.store.select(f"SELECT DISTINCT ?l ?k WHERE {{ <{partner}> rdfs:label ?l OPTIONAL {{ <{partner}> pcs:partnerKind ?k }} }}")
        return [(r["l"], r["k"]) for r in rows]

    assert names() == [("ASBL Les Taxis Solidaires", str(PCS["ASBL"]))]  # the commune's spelling, one kind
    service.edit_sheet(editors[place.nis], place.action, PracticeSheet(partners=("CPAS de Gerpinnes",)))
    assert [name for name, _ in names()] == ["ASBL Les Taxis Solidaires"]  # the document's registry entry names it now


def test_partners_are_restored_and_survive_a_reingest(setup):
    ws, db, service, place, editors = setup
    editor = editors[place.nis]
    action, printed = partnered_action(ws, place.nis)
    first = service.edit_sheet(editor, action, PracticeSheet(partners=("ASBL Les Taxis Solidaires",)))
    service.edit_sheet(editor, action, PracticeSheet(partners=("Croix-Rouge de Gerpinnes", "CPAS de Gerpinnes")))
    assert [p.name for p in read_sheet(ws.store, ws.uris, action).partners] == ["CPAS de Gerpinnes",
                                                                               "Croix-Rouge de Gerpinnes"]
    service.restore(editor, first.id)
    assert [p.name for p in read_sheet(ws.store, ws.uris, action).partners] == ["ASBL Les Taxis Solidaires"]

    source = SOURCES_2 if place.nis == GERPINNES else CORPUS_DIR / "hastiere_pcs_2020-2025.txt"
    Ingestor.of(ws).ingest(source)
    assert [p.name for p in read_sheet(ws.store, ws.uris, action).partners] == ["ASBL Les Taxis Solidaires"]
    assert [p.name for p in read_source_sheet(ws.store, ws.uris, action).partners] == printed
    assert not ws.store.ask(f"ASK {{ <{ws.uris.partner('Croix-Rouge de Gerpinnes')}> ?p ?o }}")  # gone with its version


def test_invalid_partners_are_refused_each_named(setup):
    ws, db, service, place, editors = setup
    with pytest.raises(SheetInvalid) as refused:
        service.edit_sheet(editors[place.nis], place.action, PracticeSheet(partners=(
            "  ", "CPAS", "cpas", "x" * 201, "!!!", {"name": "ASBL Lire", "kind": "Entreprise"})))
    errors = refused.value.errors
    assert all(e.startswith("partners: ") for e in errors) and len(errors) == 5
    assert any("n° 1 n'a pas de nom" in e for e in errors) and any("même partenaire" in e for e in errors)
    assert any("201 caractères" in e for e in errors) and any("ni lettre ni chiffre" in e for e in errors)
    assert any("'Entreprise'" in e for e in errors)
    with pytest.raises(SheetInvalid, match="51 partenaires"):
        service.edit_sheet(editors[place.nis], place.action,
                           PracticeSheet(partners=tuple(f"Partenaire {n}" for n in range(51))))
    assert versions_in_db(db) == 0
