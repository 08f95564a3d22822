"""Writing to the store: parsed documents, the reference data and the ontology, official catalogues.

    ingestor = Ingestor.of(workspace)
    ingestor.ensure_reference()                       # ontology + reference graph, when missing or changed
    ingestor.ingest(Path("corpus/mons_pcs_2020-2025.txt")).status    # 'added', then 'unchanged'

Each document is written by ONE SPARQL update, after it parsed completely.
May import: ingest (parsers), store, the graph model and the foundation.
"""

from __future__ import annotations

from .ingestor import Ingestor, IngestResult

__all__ = ["Ingestor", "IngestResult"]
