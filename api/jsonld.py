"""Compact JSON-LD: every JSON-LD answer uses the published context `/context.jsonld`, by reference.

    context = JsonLdContext.load()                                   # ontology/context.jsonld
    body = context.compact_nquads(graph.serialize(format="nt"), "http://host/context.jsonld",
                                  first="https://w3id.org/pcs/id/commune/53053")
    headers["Link"] = context_link("http://host/context.jsonld")

The conversion is PyLD's (JSON-LD 1.1 `fromRdf` with native types, then `compact`); nothing is
framed by hand. PyLD's own N-Quads reader is slow (6 s for the bundled corpus' 7 600 quads, where
its fromRdf takes 0.02 s), so the processor gets pyoxigraph's reader through PyLD's parser hook
(`register_rdf_parser`, on our processor only): the bundled corpus' whole dump then compacts in
about 1.3 s instead of 10 (one measurement on the project's 2-core machine, not a benchmark).
Integers and booleans become JSON numbers and booleans; decimals, years and dates stay strings typed
by the context; IRIs of linked resources are plain strings; labels are language maps
(`"label": {"fr": "Mons"}`, `"@none"` for a text without a language). A term missing from the
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
NQUADS = "application/n-quads"


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
        processor = processor_reading_nquads()
        expanded = processor.from_rdf(nquads, {"format": NQUADS, "useNativeTypes": True})
        compacted = processor.compact(expanded, self.document, {"documentLoader": self.document_loader(url)})
        nodes = compacted.get("@graph")
        if first and isinstance(nodes, list):
            nodes.sort(key=lambda node: node.get("id") != first)
        compacted["@context"] = url
        return json.dumps(compacted, ensure_ascii=False, indent=1).encode("utf-8")


def processor_reading_nquads() -> Any:
    """A PyLD processor whose N-Quads reader is pyoxigraph's."""
    from pyld.jsonld import JsonLdProcessor

    processor = JsonLdProcessor()
    processor.register_rdf_parser(NQUADS, pyld_dataset)
    return processor


def _term(term: Any) -> dict[str, str]:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "IRI", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "blank node", "value": f"_:{term.value}"}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value, "datatype": term.datatype.value}
        if term.language:
            out["language"] = term.language
        return out
    raise ValueError(f"terme RDF non pris en charge en JSON-LD : {term}")


def pyld_dataset(nquads: str) -> dict[str, list[dict]]:
    """N-Quads read by pyoxigraph, in the dataset shape PyLD's fromRdf takes ({graph: [triples]})."""
    import pyoxigraph as ox

    dataset: dict[str, list[dict]] = {"@default": []}
    for quad in ox.parse(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS):
        g = quad.graph_name
        name = "@default" if isinstance(g, ox.DefaultGraph) else (
            f"_:{g.value}" if isinstance(g, ox.BlankNode) else g.value)
        dataset.setdefault(name, []).append(
            {"subject": _term(quad.subject), "predicate": _term(quad.predicate), "object": _term(quad.object)})
    return dataset
