"""The graph model: records → RDF, with nothing of storage or search.

    from pcs_graph.graph.uris import Uris
    from pcs_graph.graph.model import document_graph
    triples = document_graph(Uris(), plan_document, "mons_pcs_2020-2025.txt")

Holds the vocabulary (`vocab`), the URIs minted in one place (`uris`), the plain records parsers
produce (`records`), the nomenclature's codes (`nomenclature`), the reference data (`reference`,
`reference_graph`), records → triples (`model`) and SHACL validation (`validation`).
May import: the foundation only (`pcs_graph.config`, `.errors`, `.text`).
"""
