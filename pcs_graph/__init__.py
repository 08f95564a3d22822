"""pcs-graph: the knowledge graph and French semantic search of the Walloon PCS.

    from pcs_graph.config import Settings
    from pcs_graph.store.workspace import Workspace
    with Workspace(Settings.from_env()) as ws: ...

The data's path, one sub-package per stage, imports running down it only (tests/test_layout.py):
ingest (documents → records) → graph (records → RDF) → store → load (writes) / search / stats →
api and cli. This top level is the foundation every stage may import: `config`, `errors`, `text`.
"""

__version__ = "0.1.0"
