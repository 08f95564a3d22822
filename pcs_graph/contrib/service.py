"""The one traceability service: every write of the exchange records who, what, when and after what.

    service = ContributionService(workspace, database, workspace.uris, on_write=services.after_write)
    v2 = service.edit_sheet(actor, action_uri, PracticeSheet(status="stopped", status_date="2025"))
    service.history(action_uri)           # [Version(number=2, ...), Version(number=1, ...)]
    service.restore(actor, v1.id)         # version 3, "rétablit la version 1"
    service.record_write(actor, "report.state", "report/4", {"state": "fixed"})   # audit log only

An edit of a practice sheet is, together:
- a new row of `contribution_versions` (who: account or token and its public name; when; the
  previous version; the sheet's fields and the N-Triples as data) and a line of the audit log, in
  one database transaction;
- ONE SPARQL update replacing the contribution's named graph (`graph/contribution/action/<nis>/
  <programme>/<key>`): the sheet's statements about the action (its partners: `pcs:partner`, and the
  name of a partner no document names yet, `partners.py`), and the graph's provenance
  (`prov:wasAttributedTo` an agent named by the public name, acting for the commune,
  `prov:generatedAtTime`, `prov:wasRevisionOf` the previous version, `owl:versionInfo`,
  `pcs:contentHash`), with the store's write stamp.
The store is written after the rows are flushed (so a database refusal stops before the store) and
before they are committed: a store failure rolls the transaction back; a failing commit puts the
previous graph back in the store. Re-ingesting a source document replaces that document's graph
only: the contribution's graph is never touched.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..accounts.actors import Actor, can_edit
from ..accounts.db import Database
from ..accounts.models import REPORT_STATES, AuditEntry, ContributionVersion, ErrorReport, utcnow
from ..errors import PcsError
from ..graph.ntriples import Triples, iri, literal
from ..graph.sheet import PracticeSheet, sheet_triples, validate_sheet
from ..graph.uris import Uris
from ..graph.vocab import OWL, PCS, PROV, RDF, RDFS, XSD
from ..store.base import Store
from ..store.state import stamp_update
from ..text import slugify
from .partners import partner_nodes

log = logging.getLogger("pcs.contrib")
CONTRIBUTION = "contribution/"


class Forbidden(PcsError):
    """The actor may not edit this commune's actions (HTTP 403)."""


class NotFound(PcsError):
    """No such action or version (HTTP 404)."""


class Conflict(PcsError):
    """Another update of the same action was recorded at the same moment (HTTP 409: try again)."""


class SheetInvalid(PcsError):
    """A sheet that cannot be written: every problem named (field, value, what is expected; HTTP 422)."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass(frozen=True)
class Version:
    id: int
    action_uri: str
    nis: str
    number: int
    graph_uri: str
    sheet: PracticeSheet
    public_name: str
    created_at: datetime
    previous_id: int | None
    restored_from: int | None  # the number of the version this one restores


def sheet_to_data(sheet: PracticeSheet) -> dict[str, Any]:
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(sheet).items()}


def sheet_from_data(data: dict[str, Any]) -> PracticeSheet:
    fields = PracticeSheet.__dataclass_fields__
    return PracticeSheet(**{k: (tuple(v) if isinstance(v, list) else v) for k, v in data.items() if k in fields})


class ContributionService:
    def __init__(self, workspace_or_store: Any, database: Database, uris: Uris | None = None,
                 on_write: Callable[[], None] | None = None) -> None:
        self.store: Store = getattr(workspace_or_store, "store", workspace_or_store)
        self.uris: Uris = uris or workspace_or_store.uris
        self.db = database
        self.on_write = on_write
        self.reports = Reports(self)

    # --- reading --------------------------------------------------------------------------------
    def graph_of(self, action_uri: str) -> str:
        relative = self.uris.relative(action_uri)
        if relative is None or not relative.startswith("action/"):
            raise NotFound(f"pas une action de ce graphe : {action_uri}")
        return str(self.uris.graph(CONTRIBUTION + relative))

    def nis_of(self, action_uri: str) -> str:
        """The commune an action belongs to, as the graph states it (its URI's NIS as a fallback)."""
        try:
            iri(action_uri)  # never a character that would end the IRI inside a query
        except ValueError:
            raise NotFound(f"pas une action de ce graphe : {action_uri!r}") from None
        rows = self.store.select(f"SELECT ?nis WHERE {{ <{action_uri}> a pcs:Action ; pcs:commune ?c . "
                                 f"?c pcs:nisCode ?nis }} LIMIT 1")
        if not rows:
            if not self.store.ask(f"ASK {{ <{action_uri}> a pcs:Action }}"):
                raise NotFound(f"action inconnue : {action_uri}")
            return (self.uris.relative(action_uri) or "").split("/")[1]
        return str(rows[0]["nis"])

    def history(self, action_uri: str) -> list[Version]:
        """Every version of the action's contribution, the newest first."""
        with self.db.session() as s:
            rows = s.scalars(select(ContributionVersion).where(ContributionVersion.action_uri == action_uri)
                             .order_by(ContributionVersion.number.desc())).all()
            numbers = {r.id: r.number for r in rows}
            return [_version(r, numbers) for r in rows]

    def current(self, action_uri: str) -> Version | None:
        versions = self.history(action_uri)
        return versions[0] if versions else None

    def version(self, version_id: int) -> Version:
        with self.db.session() as s:
            row = s.get(ContributionVersion, version_id)
            if row is None:
                raise NotFound(f"version inconnue : {version_id}")
            restored = s.get(ContributionVersion, row.restored_from_id) if row.restored_from_id else None
            return _version(row, {restored.id: restored.number} if restored else {})

    # --- writing --------------------------------------------------------------------------------
    def edit_sheet(self, actor: Actor, action_uri: str, sheet: PracticeSheet) -> Version:
        """The commune's contribution about an action becomes `sheet` (fields it leaves None / empty
        are not stated by the commune: the source's word stands)."""
        return self._write(actor, action_uri, sheet, restored_from=None)

    def restore(self, actor: Actor, version_id: int) -> Version:
        """A new version holding what an earlier one held (and saying which)."""
        old = self.version(version_id)
        return self._write(actor, old.action_uri, old.sheet, restored_from=old)

    def record_write(self, actor: Actor | None, what: str, target: str, detail: dict[str, Any] | None = None,
                     session: Any = None) -> None:
        """A line of the append-only audit log (inside `session`'s transaction when given)."""
        entry = AuditEntry(account_id=actor.account_id if actor else None, token_id=actor.token_id if actor else None,
                           actor_name=actor.public_name if actor else "anonyme", what=what, target=target,
                           detail=detail or {})
        if session is not None:
            session.add(entry)
            return
        with self.db.session() as s:
            s.add(entry)

    def _write(self, actor: Actor, action_uri: str, sheet: PracticeSheet, restored_from: Version | None) -> Version:
        nis = self.nis_of(action_uri)
        if not can_edit(actor, nis):
            raise Forbidden(f"{actor.public_name} ne peut pas modifier les actions de la commune {nis}")
        errors = validate_sheet(sheet)
        if sheet.empty:
            errors.append("sheet: fiche vide / empty sheet (au moins un champ / at least one field)")
        if errors:
            raise SheetInvalid(errors)
        graph = self.graph_of(action_uri)
        now = utcnow()
        s = self.db.sessions()
        try:
            previous = s.scalar(select(ContributionVersion).where(ContributionVersion.action_uri == action_uri)
                                .order_by(ContributionVersion.number.desc()).limit(1).with_for_update())
            number = (previous.number + 1) if previous else 1
            previous_statements = previous.statements if previous else None
            statements = self._statements(actor, action_uri, graph, sheet, number, now, restored_from)
            row = ContributionVersion(
                action_uri=action_uri, nis=nis, number=number, graph_uri=graph, sheet=sheet_to_data(sheet),
                statements=statements, public_name=actor.public_name, account_id=actor.account_id,
                token_id=actor.token_id, created_at=now, previous_id=previous.id if previous else None,
                restored_from_id=restored_from.id if restored_from else None)
            s.add(row)
            self.record_write(actor, "sheet.restore" if restored_from else "sheet.edit", action_uri,
                              {"version": number, **({"restores": restored_from.number} if restored_from else {})},
                              session=s)
            try:
                s.flush()  # constraint failures (two edits at once) stop here, before the store
            except IntegrityError:
                raise Conflict(f"une autre mise à jour de {action_uri} vient d'être enregistrée : "
                               "rechargez et recommencez") from None
            self._replace_graph(graph, statements, now)  # a failure: the transaction is rolled back below
            version_id = row.id
            try:
                s.commit()
            except Exception:
                log.error("commit failed after the store was written: the previous contribution is put back")
                self._replace_graph(graph, previous_statements, now)
                raise
        except Exception:
            s.rollback()
            raise
        finally:
            s.close()
        flush = getattr(self.store, "flush", None)
        if callable(flush):
            flush()  # an embedded store's write on disk: read-only readers (SPARQL workers, backups) see it
        if self.on_write is not None:
            self.on_write()
        return self.version(version_id)

    def _statements(self, actor: Actor, action_uri: str, graph: str, sheet: PracticeSheet, number: int,
                    now: datetime, restored_from: Version | None) -> str:
        t = Triples()
        sheet_triples(t, self.uris, action_uri, sheet)
        partner_nodes(t, self.store, self.uris, graph, sheet.partners)
        g, agent = iri(graph), iri(self.uris.base + "agent/" + slugify(actor.public_name))
        t.add(g, iri(RDF.type), iri(PROV.Entity))
        t.add(g, iri(PROV.wasAttributedTo), agent)
        t.add(g, iri(PROV.generatedAtTime), literal(now.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), datatype=str(XSD.dateTime)))
        t.add(g, iri(OWL.versionInfo), literal(str(number)))
        if number > 1:
            t.add(g, iri(PROV.wasRevisionOf), iri(f"{graph}/version/{number - 1}"))
        if restored_from is not None:
            t.add(g, iri(RDFS.comment), literal(f"rétablit la version {restored_from.number}", lang="fr"))
        t.add(agent, iri(RDF.type), iri(PROV.Agent))
        t.add(agent, iri(RDFS.label), literal(actor.public_name))
        if actor.role == "editor":
            for commune in sorted(actor.communes):
                t.add(agent, iri(PROV.actedOnBehalfOf), iri(self.uris.commune(commune)))
        body = t.text()
        digest = hashlib.sha256(body.encode("utf-8")).hexdigest()[:32]
        return body + f"\n{g} {iri(PCS.contentHash)} {literal(digest)} ."

    def _replace_graph(self, graph: str, statements: str | None, now: datetime) -> None:
        """One atomic update: the graph dropped and (if any) written again, with the store's stamp."""
        update = f"DROP SILENT GRAPH <{graph}>"
        if statements:
            update += f" ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{statements}\n}} }}"
        self.store.update(f"{update} ;\n{stamp_update(self.uris, now)}")


def _version(row: ContributionVersion, numbers: dict[int, int]) -> Version:
    return Version(row.id, row.action_uri, row.nis, row.number, row.graph_uri, sheet_from_data(row.sheet),
                   row.public_name, row.created_at, row.previous_id,
                   numbers.get(row.restored_from_id) if row.restored_from_id else None)


class Reports:
    """« Signaler une erreur »: anonymous reports and their state, audited like every other write."""

    def __init__(self, service: ContributionService) -> None:
        self.service = service

    def add(self, action_uri: str, text: str) -> int:
        text = text.strip()
        if not 3 <= len(text) <= 2000:
            raise SheetInvalid([f"text: {len(text)} caractères (attendu : entre 3 et 2000)"])
        self.service.nis_of(action_uri)  # an action of the graph, or NotFound
        with self.service.db.session() as s:
            report = ErrorReport(action_uri=action_uri, text=text)
            s.add(report)
            s.flush()
            self.service.record_write(None, "report.add", action_uri, {"report": report.id}, session=s)
            return report.id

    def set_state(self, actor: Actor, report_id: int, state: str) -> None:
        if not actor.is_reviewer:
            raise Forbidden("réservé aux relecteurs (la Région)")
        if state not in REPORT_STATES:
            raise SheetInvalid([f"state: état inconnu {state!r} (attendu : {', '.join(REPORT_STATES)})"])
        with self.service.db.session() as s:
            report = s.get(ErrorReport, report_id)
            if report is None:
                raise NotFound(f"signalement inconnu : {report_id}")
            report.state, report.handled_by, report.handled_at = state, actor.public_name, utcnow()
            self.service.record_write(actor, "report.state", f"report/{report_id}", {"state": state}, session=s)

    def queue(self, limit: int = 200) -> list[ErrorReport]:
        with self.service.db.session() as s:
            return list(s.scalars(select(ErrorReport).order_by(ErrorReport.state != "new", ErrorReport.id.desc())
                                  .limit(limit)))

    def audit(self, limit: int = 200) -> list[AuditEntry]:
        with self.service.db.session() as s:
            return list(s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))
