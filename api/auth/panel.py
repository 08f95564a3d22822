"""What the action page shows of the commune's contribution, and its forms (a jinja global).

    {% set panel = contribution_panel(request, action.uri) %}     (in action_contribution.html)
    panel.contribution.public_name, panel.updated_on               # « mis à jour par le PCS de Gerpinnes le 2 décembre 2026 »
    panel.source, panel.current, panel.stated                      # the source's word, the result, what the commune states
    panel.may_edit, panel.csrf                                     # the edit form, for the action's editors only

Called while the page is built (in the services' thread pool): the session cookie is read
synchronously here, as `current_actor` would.
"""

from __future__ import annotations

from dataclasses import dataclass
from fastapi import Request

from pcs_graph.accounts.actors import Actor, can_edit
from pcs_graph.contrib.reading import Contribution, current_sheet, read_contribution, read_source_sheet, stated_fields
from pcs_graph.graph.programmes import french_date
from pcs_graph.graph.sheet import PUBLICS, STATUSES, PracticeSheet
from pcs_graph.search.facets import PARTNER_KIND_LABELS

from .deps import SESSION_COOKIE


@dataclass(frozen=True)
class Panel:
    contribution: Contribution | None
    updated_on: str | None
    source: PracticeSheet
    current: PracticeSheet
    stated: set[str]
    actor: Actor | None
    may_edit: bool
    csrf: str | None
    base: str  # /action/<nis>/<programme>/<key>
    statuses: dict[str, str]
    publics: dict[str, str]
    thanks: bool
    partner_kinds: dict[str, str]  # ASBL → « ASBL », CommuneService → « Service communal »…


def contribution_panel(request: Request, action_uri: str) -> Panel | None:
    services = getattr(request.app.state, "services", None)
    if services is None or services.contributions is None:
        return None
    ws = services.workspace
    relative = ws.uris.relative(action_uri) or ""
    contribution = read_contribution(ws.store, ws.uris, action_uri)
    source = read_source_sheet(ws.store, ws.uris, action_uri)
    actor, csrf = None, None
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        found = services.accounts.session_of(secret)
        if found is not None:
            actor, csrf = found
    nis = relative.split("/")[1] if relative.count("/") >= 3 else ""
    updated = french_date(contribution.generated_at.date()) if contribution and contribution.generated_at else None
    return Panel(contribution, updated, source, current_sheet(source, contribution), stated_fields(contribution),
                 actor, can_edit(actor, nis), csrf, "/" + relative, STATUSES, PUBLICS,
                 request.query_params.get("signalement") == "merci", PARTNER_KIND_LABELS)
