"""A commune's plan, uploaded as a draft, corrected, published, replaced, restored and unpublished
(the services without HTTP: tests/api/test_contributions*.py go through the API and a browser).
Each test runs on SQLite and on the PostgreSQL server (tests/databases.py)."""

from __future__ import annotations

import pytest

from pcs_graph.accounts import Actor, Database
from pcs_graph.accounts.models import utcnow
from pcs_graph.contrib.drafts import Correction, CorrectionInvalid, Drafts
from pcs_graph.contrib.plans import ContributedPlans
from pcs_graph.contrib.service import Forbidden
from pcs_graph.errors import PcsError
from pcs_graph.ingest.safety import UploadLimits, check_upload
from pcs_graph.ingest.sandbox import parse_upload
from databases import database_url  # noqa: F401 - fixture
from pcs_graph.load import Ingestor
from tests.conftest import MONS as MONS_PLAN
from tests.contrib.plan_documents import LABELS, SECOND, gerpinnes_docx

EDITOR = Actor(account_id=None, token_id=None, public_name="PCS de Gerpinnes", role="editor",
               communes=frozenset({"52025"}))
MONS = Actor(account_id=None, token_id=None, public_name="PCS de Mons", role="editor", communes=frozenset({"53053"}))
REVIEWER = Actor(account_id=None, token_id=None, public_name="SPW Intérieur et Action sociale", role="reviewer",
                 communes=frozenset())


@pytest.fixture
def db(database_url):  # noqa: F811
    database = Database.open(database_url)
    yield database
    database.close()


def upload(drafts: Drafts, folder, rows=None, suggest=None):
    data = gerpinnes_docx(folder, rows) if rows else gerpinnes_docx(folder)
    checked = check_upload(data, "Plan PCS Gerpinnes.docx", UploadLimits())
    doc = parse_upload(data, checked, UploadLimits(), commune="52025", programme="2020-2025")
    return drafts.create(EDITOR, doc, checked.display_name, checked.form, "52025", "2020-2025", None, suggest)


def labels_in_store(ws) -> set[str]:
    rows = ws.store.select('SELECT ?l WHERE { ?a a pcs:Action ; rdfs:label ?l ; pcs:commune/pcs:nisCode "52025" }')
    return {r["l"] for r in rows}


def test_a_draft_lists_the_actions_in_order_with_their_lines_and_stays_out_of_the_store(workspace, db, tmp_path):
    before = workspace.store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    draft = upload(Drafts(db), tmp_path)
    assert [a.label for a in draft.actions] == LABELS
    assert [a.line for a in draft.actions] == [2, 3, 4, 5, 6, 7]  # the rows of the table
    assert [a.code for a in draft.actions] == ["1.1.06", "2.2.02", "3.2.01", None, "5.5.01", "6.1.02"]
    assert draft.actions[0].partners == [{"name": "ASBL Les Devoirs", "article20": False, "kind": "ASBL"}]
    assert draft.file_name == "Plan PCS Gerpinnes.docx" and draft.state == "draft"
    assert workspace.store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }") == before
    assert [d.key for d in Drafts(db).mine(EDITOR)] == [draft.key] and Drafts(db).mine(MONS) == []
    assert [d.key for d in Drafts(db).mine(REVIEWER)] == [draft.key]


def test_drafts_never_published_and_untouched_for_90_days_are_purged_with_an_audit_line(db, tmp_path):
    from datetime import timedelta

    from sqlalchemy import select, update
    from typer.testing import CliRunner

    from pcs_graph.accounts.drafts import Draft
    from pcs_graph.accounts.models import AuditEntry
    from pcs_graph.cli.main import app

    drafts = Drafts(db)
    old, abandoned, published, recent = (upload(drafts, tmp_path).key for _ in range(4))
    drafts.discard(EDITOR, abandoned)
    long_ago = utcnow() - timedelta(days=100)
    with db.session() as s:
        s.execute(update(Draft).where(Draft.key.in_([old, abandoned, published])).values(updated_at=long_ago))
        s.execute(update(Draft).where(Draft.key == published).values(state="published"))

    assert drafts.purge(timedelta(days=90), by="administrateur") == 2
    with db.session() as s:
        assert sorted(s.scalars(select(Draft.key)).all()) == sorted([published, recent])  # a plan version points to it
        line = s.scalars(select(AuditEntry).where(AuditEntry.what == "draft.purge")).one()
        assert (line.actor_name, line.detail["deleted"]) == ("administrateur", 2)
    with pytest.raises(PcsError, match="positive"):
        drafts.purge(timedelta(0), by="administrateur")

    done = CliRunner().invoke(app, ["drafts", "purge", "--older-than", "1", "--database", db.url])
    assert done.exit_code == 0 and "0 brouillon(s) supprimé(s)" in done.output, done.output


def test_corrections_keep_what_was_printed_and_are_refused_whole_when_one_is_wrong(workspace, db, tmp_path):
    drafts = Drafts(db)
    draft = upload(drafts, tmp_path)
    with pytest.raises(CorrectionInvalid, match=r"ligne 4, status : statut inconnu 'fini'"):
        drafts.correct(EDITOR, draft.key, [Correction(position=1, label="Changé"), Correction(position=4, status="fini")])
    assert drafts.get(EDITOR, draft.key).actions[0].label == LABELS[0]  # nothing of the refused call applied
    with pytest.raises(CorrectionInvalid, match="ligne 1, type : le document imprime déjà le code 1.1.06"):
        drafts.correct(EDITOR, draft.key, [Correction(position=1, type="5.1.04")])
    draft = drafts.correct(EDITOR, draft.key, [
        Correction(position=2, label="Permanences logement au CPAS de Gerpinnes"),
        Correction(position=4, type="5.1.04", description="Chaque mardi, une marche douce pour les aînés."),
        Correction(position=5, partners=[{"name": "Comité de quartier de Loverval"}]),
        Correction(position=6, exclude=True)])
    second, fourth, fifth = draft.actions[1], draft.actions[3], draft.actions[4]
    assert (second.label_printed, second.label) == ("Permanences logement au CPAS", "Permanences logement au CPAS de Gerpinnes")
    assert fourth.declared == {"code": "5.1.04", "label": None, "axis": 5, "suggested": False, "probability": None}
    assert fourth.sheet["description"] == "Chaque mardi, une marche douce pour les aînés."
    assert fifth.partners_printed[0]["name"] == "Comité de quartier" and fifth.partners[0]["name"].endswith("Loverval")
    assert draft.actions[5].excluded
    with pytest.raises(Forbidden):
        drafts.get(MONS, draft.key)


def test_publish_replace_restore_unpublish(workspace, db, tmp_path):
    Ingestor.of(workspace).ingest(MONS_PLAN)  # names the type 5.5.01 (« Activités de rencontre pour personnes isolées »)
    drafts, plans = Drafts(db), ContributedPlans(workspace, db)
    first = upload(drafts, tmp_path)
    drafts.correct(EDITOR, first.key, [Correction(position=4, type="5.5.01"),
                                       Correction(position=2, label="Permanences logement au CPAS de Gerpinnes")])
    with pytest.raises(Forbidden):
        plans.publish(MONS, first.key)
    v1 = plans.publish(EDITOR, first.key)
    expected_first = set(LABELS) - {"Permanences logement au CPAS"} | {"Permanences logement au CPAS de Gerpinnes"}
    assert (v1.number, v1.state, v1.action_count) == (1, "published", 6)
    assert labels_in_store(workspace) == expected_first
    row = workspace.store.select("""SELECT ?kind ?publisher ?status ?method ?printed WHERE {
      ?a rdfs:label "Gym douce et balades pour les aînés isolés"@fr ; dcterms:source ?p ;
         pcs:classificationStatus ?status ; pcs:classificationMethod ?method ; pcs:actionType/skos:notation "5.5.01" .
      ?p dcterms:type/skos:notation ?kind ; dcterms:publisher ?publisher .
      ?b pcs:labelAsPrinted ?printed }""")
    assert len(row) == 1
    assert (row[0]["kind"], row[0]["publisher"], row[0]["printed"]) == (
        "commune-contribution", "PCS de Gerpinnes", "Permanences logement au CPAS")
    assert row[0]["status"].endswith("#Declared") and row[0]["method"].startswith("type 5.5.01 choisi par PCS de Gerpinnes le ")

    second = upload(drafts, tmp_path, SECOND)
    v2 = plans.publish(EDITOR, second.key)
    assert v2.number == 2 and labels_in_store(workspace) == {row[1] for row in SECOND}  # replaced, no duplicate
    count = workspace.store.select('SELECT (COUNT(?a) AS ?n) WHERE { ?a a pcs:Action ; pcs:commune/pcs:nisCode "52025" }')
    assert count[0]["n"] == "5"

    v3 = plans.restore(REVIEWER, v1.id)
    assert (v3.number, v3.restored_from, v3.public_name) == (3, 1, "SPW Intérieur et Action sociale")
    assert labels_in_store(workspace) == expected_first

    gone = plans.unpublish(EDITOR, "52025", "2020-2025")
    assert (gone.number, gone.state, gone.unpublished_by) == (3, "unpublished", "PCS de Gerpinnes")
    assert labels_in_store(workspace) == set()
    assert workspace.store.select(f"SELECT ?p WHERE {{ <{workspace.uris.base}contribution/52025/2020-2025> ?p ?o }}") == []
    history = plans.history(EDITOR, "52025")
    assert [(v.number, v.state) for v in history] == [(3, "unpublished"), (2, "superseded"), (1, "superseded")]
    assert set(history[2].labels) == expected_first  # what version 1 published, still in the history
    with pytest.raises(Forbidden):
        plans.history(MONS, "52025")


def test_a_published_plan_conforms_to_the_shapes(workspace, db, tmp_path):
    from rdflib import Graph

    from pcs_graph.graph.validation import validate_graph

    Ingestor.of(workspace).ingest(MONS_PLAN)  # names the type 5.5.01 (« Activités de rencontre pour personnes isolées »)
    plans = ContributedPlans(workspace, db)
    drafts = Drafts(db, type_label=plans.type_label)
    draft = upload(drafts, tmp_path)
    with pytest.raises(CorrectionInvalid, match="ligne 4, type : 7.9.99 n'est pas un type d'action connu"):
        drafts.correct(EDITOR, draft.key, [Correction(position=4, type="7.9.99")])
    drafts.correct(EDITOR, draft.key, [Correction(position=4, type="5.5.01", status="running", status_date="2024",
                                                  publics=["aines"]),
                                       Correction(position=1, label="École de devoirs du Try-Bosquet")])
    plans.publish(EDITOR, draft.key)
    data = Graph()
    data.parse(data=workspace.store.dump("application/n-triples"), format="nt")
    report = validate_graph(data)
    assert report.conforms, "\n".join(v.to_text() for v in report.violations)



def test_a_failed_commit_puts_the_store_back_as_the_database_says(workspace, db, tmp_path):
    from sqlalchemy import event

    drafts, plans = Drafts(db), ContributedPlans(workspace, db)
    plans.publish(EDITOR, upload(drafts, tmp_path).key)
    second = upload(drafts, tmp_path, SECOND)

    def refuse(session):  # the database refuses the commit (disk full, connection lost…), once
        event.remove(db.sessions, "before_commit", refuse)
        raise RuntimeError("commit refusé")

    event.listen(db.sessions, "before_commit", refuse)
    with pytest.raises(RuntimeError, match="commit refusé"):
        plans.publish(EDITOR, second.key)
    assert labels_in_store(workspace) == set(LABELS)  # version 1 again, as the database still says
    assert [(v.number, v.state) for v in plans.history(EDITOR, "52025")] == [(1, "published")]
    assert drafts.get(EDITOR, second.key).state == "draft"
    event.listen(db.sessions, "before_commit", refuse)
    with pytest.raises(RuntimeError, match="commit refusé"):
        plans.unpublish(EDITOR, "52025", "2020-2025")
    assert labels_in_store(workspace) == set(LABELS)


def test_two_publications_of_one_plan_at_the_same_moment_the_second_is_refused(workspace, db, tmp_path):
    from sqlalchemy import event

    from pcs_graph.accounts import PlanVersion
    from pcs_graph.contrib.plans import PublishConflict

    drafts, plans = Drafts(db), ContributedPlans(workspace, db)
    draft = upload(drafts, tmp_path)

    done: list[bool] = []

    def meanwhile(session, context, instances):  # another server publishes version 1 between our read and write
        if done or not any(isinstance(o, PlanVersion) for o in session.new):
            return
        done.append(True)
        with db.engine.begin() as other:
            other.execute(PlanVersion.__table__.insert().values(
                nis="52025", programme="2020-2025", number=1, state="published", graph_uri="g", body={},
                statements="", action_count=0, public_name="Plateforme", created_at=utcnow()))

    event.listen(db.sessions, "before_flush", meanwhile)
    with pytest.raises(PublishConflict, match="une autre publication du plan 52025 2020-2025 vient d'avoir lieu"):
        plans.publish(EDITOR, draft.key)
    event.remove(db.sessions, "before_flush", meanwhile)
    assert labels_in_store(workspace) == set() and drafts.get(EDITOR, draft.key).state == "draft"
