"""Who is acting, and what they may edit: the one place where role × commune is decided.

    actor = Actor(account_id=3, token_id=None, public_name="PCS de Gerpinnes", role="editor",
                  communes=frozenset({"52025"}))
    can_edit(actor, "52025")     # True
    can_edit(actor, "53053")     # False (Mons)
    can_edit(REVIEWER, "53053")  # True: a reviewer (the region) may edit every commune

An editor of a commune that shares a joint plan (`reference/pcs_local_authority_facts.csv`: one
plan, one team, led by one commune) may edit every commune of that plan, as the graph models it
(`pcs:commune` of the lead's plan). Admins manage accounts; they edit nothing by their role alone.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from ..config import REFERENCE_DIR

EDITOR, REVIEWER_ROLE, ADMIN = "editor", "reviewer", "admin"
ROLES_ALL = (EDITOR, REVIEWER_ROLE, ADMIN)


@dataclass(frozen=True)
class Actor:
    """A signed-in account or an API token, as the write routes see it (no e-mail: never needed there)."""

    account_id: int | None
    token_id: int | None
    public_name: str
    role: str
    communes: frozenset[str]

    @property
    def is_reviewer(self) -> bool:
        return self.role == REVIEWER_ROLE

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    def editable_communes(self) -> frozenset[str]:
        """The NIS codes this actor may edit (every joint plan's members included); reviewers: all."""
        groups = joint_plans()
        out: set[str] = set()
        for nis in self.communes:
            out |= groups.get(nis, {nis})
        return frozenset(out)


def can_edit(actor: Actor | None, nis: str) -> bool:
    """May this actor change what the graph says about this commune's actions?"""
    if actor is None:
        return False
    if actor.role == REVIEWER_ROLE:
        return True
    if actor.role != EDITOR:
        return False
    return nis in actor.editable_communes()


@lru_cache(maxsize=1)
def joint_plans() -> dict[str, frozenset[str]]:
    """Every commune of a joint plan → all the communes of that plan (lead and members), from the
    reference facts (members name their lead: « plan commun avec Clavier »)."""
    with open(REFERENCE_DIR / "pcs_local_authority_facts.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    leads = {r["commune"]: r["nis_code"] for r in rows if r["fact"] == "joint_plan_lead"}
    plans: dict[str, set[str]] = {nis: {nis} for nis in leads.values()}
    for r in rows:
        if r["fact"] == "joint_plan_member":
            lead = leads.get(r["detail"].rsplit(" avec ", 1)[-1].strip())
            if lead is not None:
                plans[lead].add(r["nis_code"])
    return {nis: frozenset(members) for members in plans.values() for nis in members}
