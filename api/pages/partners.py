"""The partners list: every partner of the graph's actions, filtered like /api/partners, with downloads.

    /partenaires?kind=ASBL&article20=true&min_communes=2&q=maison
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ..catalog import KINDS, Catalog
from ..schemas import PartnerSummary
from .render import BadPageParameter, bad_request, off_loop, render
from .tabular import download_links

router = APIRouter(include_in_schema=False)
KIND_LABELS = {"ASBL": "ASBL", "CPAS": "CPAS", "CommuneService": "Service communal", "PublicBody": "Organisme public",
               "School": "École", "OtherPartner": "Autre partenaire"}
TRUE, FALSE = ("true", "1", "oui", "on"), ("false", "0", "non")


@dataclass(frozen=True)
class PartnerFilters:
    kind: str | None = None
    article20: bool | None = None
    min_communes: int = 0
    q: str = ""

    @classmethod
    def of(cls, request: Request) -> "PartnerFilters":
        """The page's parameters, checked: a malformed one raises BadPageParameter (a 400 page)."""
        p = request.query_params
        kind = (p.get("kind") or "").strip() or None
        if kind is not None and kind not in KINDS:
            raise BadPageParameter("kind", kind, " ou ".join(KINDS))
        flag = (p.get("article20") or "").strip().lower()
        if flag and flag not in TRUE + FALSE:
            raise BadPageParameter("article20", flag, "true ou false")
        minimum = (p.get("min_communes") or "0").strip() or "0"
        if not minimum.isdigit() or int(minimum) > 262:
            raise BadPageParameter("min_communes", minimum, "un nombre de communes de 0 à 262")
        return cls(kind, (flag in TRUE) if flag else None, int(minimum), (p.get("q") or "").strip()[:120])

    def params(self) -> list[tuple[str, str]]:
        out = [("kind", self.kind or ""), ("article20", "" if self.article20 is None else str(self.article20).lower()),
               ("min_communes", str(self.min_communes) if self.min_communes else ""), ("q", self.q)]
        return [(k, v) for k, v in out if v]

    def described(self) -> str:
        return "; ".join(f"{k} = {v}" for k, v in self.params()) or "aucun"


def partner_rows(request: Request, filters: PartnerFilters) -> list[PartnerSummary]:
    ws = request.app.state.services.workspace
    return Catalog(ws.store, ws.uris).partners(filters.kind, filters.article20, filters.min_communes, filters.q or None)


@router.get("/partenaires", response_class=HTMLResponse)
async def partners_page(request: Request) -> Response:
    return await off_loop(request, _partners_page)


def _partners_page(request: Request) -> Response:
    try:
        filters = PartnerFilters.of(request)
    except BadPageParameter as e:
        return bad_request(request, e)
    partners = partner_rows(request, filters)
    query = urlencode(filters.params())
    return render(request, "partners.html", title="Partenaires", partners=partners, filters=filters,
                  kinds=KIND_LABELS, downloads=download_links("partenaires", filters.params()), query=query)
