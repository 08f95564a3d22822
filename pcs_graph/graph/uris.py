"""Every data URI of the graph is minted here, under one configurable base.

URIs are readable and stable: `commune/53053`, `action-type/5.5.01`, `plan/53053/2020-2025`.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from ..config import DEFAULT_BASE_URI
from ..text import slugify


@dataclass(frozen=True)
class Uris:
    base: str = DEFAULT_BASE_URI

    def __post_init__(self) -> None:
        if not self.base.endswith(("/", "#")):
            object.__setattr__(self, "base", self.base + "/")

    def _u(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def commune(self, nis: str) -> URIRef:
        return self._u(f"commune/{nis}")

    def province(self, nis: str) -> URIRef:
        return self._u(f"province/{nis}")

    def arrondissement(self, nis: str) -> URIRef:
        return self._u(f"arrondissement/{nis}")

    def region(self) -> URIRef:
        return self._u("region/03000")

    def programme(self, period: str) -> URIRef:
        return self._u(f"programme/{period}")

    def plan(self, lead_nis: str, period: str) -> URIRef:
        return self._u(f"plan/{lead_nis}/{period}")

    def subsidy(self, lead_nis: str, period: str, year: int) -> URIRef:
        return self._u(f"plan/{lead_nis}/{period}/subsidy/{year}")

    def axis(self, number: int | str, scheme: str = "nomenclature") -> URIRef:
        """An axis of the 7-axis nomenclature (`axis/5`), or of the 4-axis scheme of 2009-2019
        (`axis/2014-2019/4`, scheme "axes-2014-2019")."""
        if scheme == "axes-2014-2019":
            return self._u(f"axis/2014-2019/{number}")
        return self._u(f"axis/{number}")

    def right(self, axis: int | str, k: int) -> URIRef:
        return self._u(f"right/{axis}-{k}")

    def theme(self, code: str) -> URIRef:
        return self._u(f"theme/{code}")

    def action_type(self, code: str) -> URIRef:
        return self._u(f"action-type/{code}")

    def action(self, nis: str, period: str, key: str) -> URIRef:
        return self._u(f"action/{nis}/{period}/{key}")

    def partner(self, name: str) -> URIRef:
        return self._u(f"partner/{slugify(name)}")

    def document(self, doc_id: str) -> URIRef:
        return self._u(f"document/{slugify(doc_id, max_length=80)}")

    def scheme(self, name: str) -> URIRef:
        return self._u(f"scheme/{name}")

    def graph(self, name: str) -> URIRef:
        """Named graphs that are not documents: ontology, reference, nomenclature, classification."""
        return self._u(f"graph/{name}")

    def dataset(self) -> URIRef:
        return self._u("dataset")

    def relative(self, uri: str) -> str | None:
        """'https://w3id.org/pcs/id/commune/53053' → 'commune/53053' (None if not under the base)."""
        return uri[len(self.base):] if uri.startswith(self.base) else None
