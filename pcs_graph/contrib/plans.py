"""A commune's contributed plan: publish a draft, unpublish it, restore an earlier version.

    plans = ContributedPlans(workspace, database, on_write=engine.refresh)
    v1 = plans.publish(actor, draft.key)          # one atomic store update + a version row + an audit line
    v2 = plans.publish(actor, other_draft.key)    # replaces v1's graph (no duplicate actions); v1 kept
    plans.restore(actor, v1.id)                   # version 3, holding what version 1 held
    plans.unpublish(reviewer, "52025", "2020-2025")   # the graph is dropped; the history stays
    plans.history(actor, "52025")                 # every version, newest first

The plan's graph is an ordinary document graph (`document/contribution-52025-2020-2025`), written by
the same update as `pcs ingest` (`Ingestor.replacement`: the old graph and its classifications
dropped, the new one inserted, the nomenclature, plans, partners and publication shared, the store's
write stamp), so search, counts and SPARQL see it as they see any document. Its actions are read from
a publication of kind `commune-contribution` (« contribution de la commune ») published by the
account's public name, attributed to the commune, dated. A type the editor chose (an accepted
suggestion) is `pcs:Declared` with `pcs:classificationMethod` saying who chose it, when, and from
which suggestion; a corrected label keeps the printed one (`pcs:labelAsPrinted`). Action URIs are
`action/<nis>/<programme>/contribution-<key>`, so they never collide with an ingested document's.

The version row and the audit line are flushed first, the store written next, the transaction
committed last: a store failure leaves the database as it was, and a failed commit puts the store
back as the database says (the version still published, or none); drafts never reach the store.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..accounts.actors import Actor, can_edit
from ..accounts.db import Database
from ..accounts.drafts import Draft, PlanVersion
from ..accounts.models import AuditEntry, utcnow
from ..errors import PcsError
from ..graph.model import action_type_triples, document_graph, publication_triples
from ..graph.nomenclature import parse_code
from ..graph.ntriples import Triples, iri, literal
from ..graph.records import ActionRecord, PartnerRecord, PlanDocument, Publication, SourceSpan
from ..graph.uris import Uris
from ..graph.vocab import OWL, PCS, PROV, RDFS, XSD
from ..load.ingestor import Ingestor
from ..store.state import stamp_update
from ..store.workspace import Workspace
from .drafts import CorrectionInvalid, DraftAction
from .service import Forbidden, NotFound

KIND = "commune-contribution"
log = logging.getLogger("pcs.contrib")


class PublishConflict(PcsError):
    """Two publications of the same plan at the same moment: the second is refused (HTTP 409)."""


class ContributionUris(Uris):
    """The data URIs, with a contributed plan's actions under `contribution-<key>`."""

    def action(self, nis: str, period: str, key: str):  # type: ignore[no-untyped-def]
        return super().action(nis, period, f"contribution-{key}")


@dataclass
class PlanVersionView:
    id: int
    nis: str
    programme: str
    number: int
    state: str  # published, superseded, unpublished
    graph: str
    action_count: int
    public_name: str
    created_at: datetime
    restored_from: int | None  # the number of the version it restores
    unpublished_at: datetime | None
    unpublished_by: str | None
    labels: list[str]


def graph_uri(uris: Uris, nis: str, programme: str) -> str:
    return str(uris.document(f"contribution-{nis}-{programme}"))


def publication_uri(uris: Uris, nis: str, programme: str) -> str:
    return f"{uris.base}contribution/{nis}/{programme}"


class ContributedPlans:
    def __init__(self, ws: Workspace, database: Database, on_write: Callable[[], Any] | None = None) -> None:
        self.ws = ws
        self.db = database
        self.on_write = on_write

    def type_label(self, code: str) -> str | None:
        """The label of an action type of the nomenclature (None: the store knows no such type)."""
        rows = self.ws.store.select(f"SELECT ?l WHERE {{ <{self.ws.uris.action_type(code)}> a pcs:ActionType ; "
                                    f"skos:prefLabel ?l }} LIMIT 1")
        return rows[0]["l"] if rows else None

    def publish(self, actor: Actor, draft_key: str) -> PlanVersionView:
        with self._putting_back() as written, self.db.session() as s:
            draft = s.scalar(select(Draft).where(Draft.key == draft_key))
            if draft is None:
                raise NotFound(f"aucun brouillon {draft_key!r}")
            self._check(actor, draft.nis)
            if draft.state != "draft":
                raise CorrectionInvalid(f"le brouillon {draft_key} est déjà {'publié' if draft.state == 'published' else 'abandonné'}")
            if not draft.programme or self.ws.programmes.get(draft.programme) is None:
                raise CorrectionInvalid(f"brouillon {draft_key} : programmation {draft.programme or 'absente'} "
                                        f"(attendu : {' ou '.join(self.ws.programmes.codes)})")
            body = {**draft.body, "file_name": draft.file_name}
            version = self._write(s, actor, draft.nis, draft.programme, body, draft_id=draft.id, restored=None)
            written.append((draft.nis, draft.programme))
            draft.state, draft.updated_at = "published", utcnow()
        return self._done(version)

    def restore(self, actor: Actor, version_id: int) -> PlanVersionView:
        with self._putting_back() as written, self.db.session() as s:
            old = s.get(PlanVersion, version_id)
            if old is None:
                raise NotFound(f"aucune version de plan {version_id}")
            self._check(actor, old.nis)
            version = self._write(s, actor, old.nis, old.programme, old.body, draft_id=old.draft_id, restored=old)
            written.append((old.nis, old.programme))
        return self._done(version)

    def unpublish(self, actor: Actor, nis: str, programme: str) -> PlanVersionView:
        self._check(actor, nis)
        with self._putting_back() as written, self.db.session() as s:
            current = self._current(s, nis, programme)
            if current is None:
                raise NotFound(f"aucun plan publié par la commune {nis} pour {programme}")
            now = utcnow()
            current.state, current.unpublished_at, current.unpublished_by = "unpublished", now, actor.public_name
            _audit(s, actor, "plan.unpublish", current.graph_uri, {"version": current.number})
            s.flush()
            self.ws.store.update(self._removal(nis, programme, now))
            written.append((nis, programme))
            out = _view(current, {})
        return self._done(out)

    def _removal(self, nis: str, programme: str, now: datetime) -> str:
        """The update dropping the plan's graph, its actions' classifications and its publication."""
        uris = self.ws.uris
        g, classification = graph_uri(uris, nis, programme), uris.graph("classification")
        return (f"DELETE {{ GRAPH <{classification}> {{ ?a ?p ?o }} }} WHERE {{ GRAPH <{g}> {{ ?a a pcs:Action }} "
                f"GRAPH <{classification}> {{ ?a ?p ?o }} }} ;\n"
                f"DELETE WHERE {{ GRAPH <{uris.graph('registry')}> {{ <{publication_uri(uris, nis, programme)}> ?p ?o }} }} ;\n"
                f"DROP SILENT GRAPH <{g}> ;\n{stamp_update(uris, now)}")

    @contextmanager
    def _putting_back(self) -> Iterator[list[tuple[str, str]]]:
        """If the transaction fails after the store was written (the commit itself), the store is put back
        as the database still says: the version it calls published, or no plan at all."""
        written: list[tuple[str, str]] = []
        try:
            yield written
        except BaseException:
            for nis, programme in written:
                try:
                    self._put_back(nis, programme)
                except Exception:  # noqa: BLE001 - the first error is the one to report
                    log.exception("could not put back the contributed plan %s %s", nis, programme)
            raise

    def _put_back(self, nis: str, programme: str) -> None:
        with self.db.session() as s:
            current = self._current(s, nis, programme)
            if current is None:
                self.ws.store.update(self._removal(nis, programme, utcnow()))
                return
            restored = s.get(PlanVersion, current.restored_from_id) if current.restored_from_id else None
            who = Actor(current.account_id, current.token_id, current.public_name, "editor", frozenset({nis}))
            update, _, _ = self._plan_update(who, nis, programme, current.body, current.number, current.created_at,
                                             restored)
            self.ws.store.update(update)

    def history(self, actor: Actor | None, nis: str, programme: str | None = None) -> list[PlanVersionView]:
        """Every version of the commune's contributed plans, newest first (editors of the commune, reviewers)."""
        self._check(actor, nis)
        with self.db.session() as s:
            query = select(PlanVersion).where(PlanVersion.nis == nis)
            if programme:
                query = query.where(PlanVersion.programme == programme)
            rows = s.scalars(query.order_by(PlanVersion.programme, PlanVersion.number.desc())).all()
            numbers = {r.id: r.number for r in rows}
            return [_view(r, numbers) for r in rows]

    # --- writing ---------------------------------------------------------------------------------

    def _check(self, actor: Actor | None, nis: str) -> None:
        if actor is None or not can_edit(actor, nis):
            raise Forbidden(f"{actor.public_name if actor else 'anonyme'} ne peut pas publier pour la commune {nis}")

    @staticmethod
    def _current(s: Any, nis: str, programme: str) -> PlanVersion | None:
        return s.scalar(select(PlanVersion).where(PlanVersion.nis == nis, PlanVersion.programme == programme,
                                                  PlanVersion.state == "published"))

    def _write(self, s: Any, actor: Actor, nis: str, programme: str, body: dict[str, Any], draft_id: int | None,
               restored: PlanVersion | None) -> PlanVersionView:
        uris, now = self.ws.uris, utcnow()
        previous = self._current(s, nis, programme)
        number = (s.scalar(select(func.max(PlanVersion.number)).where(PlanVersion.nis == nis,
                                                                       PlanVersion.programme == programme)) or 0) + 1
        g = graph_uri(uris, nis, programme)
        update, statements, labels = self._plan_update(actor, nis, programme, body, number, now, restored)
        row = PlanVersion(nis=nis, programme=programme, number=number, graph_uri=g, draft_id=draft_id, body=body,
                          statements=statements, action_count=len(labels), public_name=actor.public_name,
                          account_id=actor.account_id, token_id=actor.token_id, created_at=now,
                          previous_id=previous.id if previous else None,
                          restored_from_id=restored.id if restored else None)
        if previous is not None:
            previous.state = "superseded"
        s.add(row)
        try:
            s.flush()
        except IntegrityError:  # another publication of this plan committed its version number first
            raise PublishConflict(f"une autre publication du plan {nis} {programme} vient d'avoir lieu : "
                                  "rechargez l'historique et recommencez") from None
        _audit(s, actor, "plan.restore" if restored else "plan.publish", g,
               {"version": number, "actions": len(labels), **({"restores": restored.number} if restored else {})})
        s.flush()
        self.ws.store.update(update)  # after the rows are flushed, before they are committed
        return _view(row, {restored.id: restored.number} if restored else {}, labels)

    def _done(self, version: PlanVersionView) -> PlanVersionView:
        if self.on_write is not None:
            self.on_write()
        return version

    def _plan_update(self, actor: Actor, nis: str, programme: str, body: dict[str, Any], number: int, now: datetime,
                     restored: PlanVersion | None) -> tuple[str, str, list[str]]:
        """The one SPARQL update writing this version's graph, its N-Triples, and its actions' labels."""
        uris = ContributionUris(self.ws.uris.base)
        commune = self.ws.communes.find(nis)
        actions = [a for a in (DraftAction(**raw) for raw in body["actions"]) if not a.excluded]
        if not actions:
            raise CorrectionInvalid("aucune action à publier : toutes les lignes ont été écartées")
        for a in actions:
            if a.declared and self.type_label(a.declared["code"]) is None:
                raise CorrectionInvalid(f"ligne {a.position}, type : {a.declared['code']} n'est pas un type d'action "
                                        "connu de la nomenclature (attendu : un code suggéré ou déjà publié)")
        pub_uri = publication_uri(uris, nis, programme)
        publication = Publication(pub_uri, KIND, title=f"Plan de cohésion sociale de {commune.name} {programme} : "
                                  f"contribution de la commune (version {number})", publisher=actor.public_name,
                                  date=now.date().isoformat())
        digest = hashlib.sha256(json.dumps([body, number, now.isoformat()], sort_keys=True, default=str).encode())
        file_name = body.get("file_name") or "document"
        doc = PlanDocument(file_name=file_name, content_hash=digest.hexdigest(), parser=body["document"].get("parser") or "",
                           title=body["document"].get("title"), nis=nis, programme=programme, publication=publication,
                           actions=[_record(a, file_name) for a in actions])
        doc_uri = graph_uri(uris, nis, programme)
        triples = document_graph(uris, doc, f"contribution-{nis}-{programme}", self.ws.programmes)
        extra = _provenance(uris, doc_uri, pub_uri, nis, number, now, body.get("publication"), restored)
        declared = set()
        for action, written in zip(actions, triples.actions):
            a = iri(written.uri)
            if action.label_corrected:
                extra.add(a, iri(PCS.labelAsPrinted), literal(action.label_printed, lang="fr"))
            if action.declared and not action.dropped:
                declared.add(written.uri)
                _declared_type(extra, uris, a, action.declared, actor.public_name, now)
                action_type_triples(triples.nomenclature, uris, parse_code(action.declared["code"]))
        triples.document.extend(extra)
        triples.actions = [replace(w, typed=True) if w.uri in declared else w for w in triples.actions]
        update = Ingestor(self.ws.store, uris, self.ws.communes, self.ws.programmes).replacement(doc_uri, triples)
        return update, triples.document.text(), [a.label for a in actions]


def _record(a: DraftAction, file_name: str) -> ActionRecord:
    """A draft line as the record a parser would have produced, with the editor's corrections."""
    return ActionRecord(
        label=a.label, span=SourceSpan(file_name, a.line, a.page, a.source_text), code=a.code,
        code_as_printed=a.code_as_printed, sequence=a.sequence,
        partners=tuple(PartnerRecord(p["name"], bool(p.get("article20")), p.get("kind")) for p in a.partners),
        target_publics=tuple(a.publics_read), heading=a.heading, dropped=a.dropped,
        stated_axis=None if a.declared else a.stated_axis, sheet=a.practice_sheet)


def _declared_type(t: Triples, uris: Uris, a: str, declared: dict[str, Any], who: str, now: datetime) -> None:
    code = declared["code"]
    t.add(a, iri(PCS.actionType), iri(uris.action_type(code)))
    t.add(a, iri(PCS.axis), iri(uris.axis(declared["axis"])))
    t.add(a, iri(PCS.classificationStatus), iri(PCS.Declared))
    if declared.get("suggested") and declared.get("probability") is not None:
        how = (f"type {code} proposé par le classifieur (probabilité {float(declared['probability']):.2f}) "
               f"et retenu par {who} le {now.date().isoformat()}").replace("0.", "0,")
    else:
        how = f"type {code} choisi par {who} le {now.date().isoformat()}"
    t.add(a, iri(PCS.classificationMethod), literal(how))


def _provenance(uris: Uris, doc_uri: str, pub_uri: str, nis: str, number: int, now: datetime,
                given: dict[str, Any] | None, restored: PlanVersion | None) -> Triples:
    """Who and when: the commune the publication is attributed to, the time, the version, the address given."""
    t = Triples()
    commune, at = iri(uris.commune(nis)), literal(now.isoformat(timespec="seconds"), datatype=str(XSD.dateTime))
    for subject in (iri(doc_uri), iri(pub_uri)):
        t.add(subject, iri(PROV.wasAttributedTo), commune)
        t.add(subject, iri(PROV.generatedAtTime), at)
    t.add(iri(doc_uri), iri(OWL.versionInfo), literal(str(number)))
    if restored is not None:
        t.add(iri(doc_uri), iri(RDFS.comment), literal(f"version {number}, qui rétablit la version {restored.number}", lang="fr"))
    if given and given.get("url"):
        t.add(iri(pub_uri), iri(PROV.wasDerivedFrom), publication_triples(t, Publication(given["url"], given["kind"])))
    return t


def _audit(s: Any, actor: Actor, what: str, target: str, detail: dict[str, Any]) -> None:
    s.add(AuditEntry(account_id=actor.account_id, token_id=actor.token_id, actor_name=actor.public_name, what=what,
                     target=target, detail=detail))


def _view(row: PlanVersion, numbers: dict[int, int], labels: list[str] | None = None) -> PlanVersionView:
    if labels is None:
        labels = [a["label"] for a in row.body.get("actions", []) if not a.get("excluded")]
    return PlanVersionView(row.id, row.nis, row.programme, row.number, row.state, row.graph_uri, row.action_count,
                           row.public_name, row.created_at,
                           numbers.get(row.restored_from_id) if row.restored_from_id else None,
                           row.unpublished_at, row.unpublished_by, labels)
