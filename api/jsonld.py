"""Compact JSON-LD: every JSON-LD answer uses the published context `/context.jsonld`, by reference.

    context = JsonLdContext.load()                                   # ontology/context.jsonld
    body = context.compact_nquads(graph.serialize(format="nt"), "http://host/context.jsonld",
                                  first="https://w3id.org/pcs/id/commune/53053")
    headers["Link"] = context_link("http://host/context.jsonld")

The conversion is PyLD's (JSON-LD 1.1 `fromRdf` with native types, then `compact`); nothing is
framed by hand. Integers and booleans become JSON numbers and booleans; decimals, years and dates
stay strings typed by the context; IRIs of linked resources are plain strings; labels are language
maps (`"label": {"fr": "Mons"}`, `"@none"` for a text without a language). A term missing from the
context falls back to a compact IRI (`"pcs:newTerm"`), so no key ever is a full IRI. The result's
`@context` is the context's URL, so a client resolves it from the service (clients that cache it
never fetch it again); `JsonLdContext.document_loader` serves it from memory, for clients in tests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from pcs_graph.config import ONTOLOGY_DIR

CONTEXT_FILE = ONTOLOGY_DIR / "context.jsonld"
CONTEXT_PATH = "/context.jsonld"
CONTEXT_REL = "http://www.w3.org/ns/json-ld#context"
JSONLD = "application/ld+json"


def context_url(public: str) -> str:
    """The context's URL under the service's public base (`http://host/`)."""
    return public.rstrip("/") + CONTEXT_PATH


def context_link(url: str) -> str:
    """The Link header announcing the context (JSON-LD 1.1, section 6.1)."""
    return f'<{url}>; rel="{CONTEXT_REL}"; type="{JSONLD}"'


@dataclass(frozen=True)
class JsonLdContext:
    document: dict[str, Any]  # {"@context": {...}}
    text: bytes               # the file as published

    @classmethod
    def load(cls, path: Path = CONTEXT_FILE) -> "JsonLdContext":
        text = path.read_bytes()
        document = json.loads(text)
        if not isinstance(document.get("@context"), dict):
            raise ValueError(f"{path} : un objet {{\"@context\": {{...}}}} est attendu")
        return cls(document, text)

    @property
    def terms(self) -> dict[str, Any]:
        return self.document["@context"]

    def document_loader(self, url: str) -> Callable[[str, dict], dict]:
        """A PyLD document loader that knows only this context at `url` (no network)."""
        def load(requested: str, options: dict | None = None) -> dict:
            if requested != url:
                raise ValueError(f"contexte JSON-LD inconnu : {requested} (seul {url} est servi)")
            return {"contentType": JSONLD, "contextUrl": None, "documentUrl": url, "document": self.document}
        return load

    def compact_nquads(self, nquads: str, url: str, first: str | None = None) -> bytes:
        """N-Triples or N-Quads → compact JSON-LD whose @context is `url`; `first` (a subject IRI)
        is put at the top of @graph (an order within a JSON array: no change to the triples)."""
        from pyld import jsonld

        expanded = jsonld.from_rdf(nquads, {"format": "application/n-quads", "useNativeTypes": True})
        return self._compacted(expanded, url, first)

    def _compacted(self, expanded: Any, url: str, first: str | None) -> bytes:
        from pyld import jsonld

        compacted = jsonld.compact(expanded, self.document, {"documentLoader": self.document_loader(url)})
        nodes = compacted.get("@graph")
        if first and isinstance(nodes, list):
            nodes.sort(key=lambda node: node.get("id") != first)
        compacted["@context"] = url
        return json.dumps(compacted, ensure_ascii=False, indent=1).encode("utf-8")
