"""pcs-graph: the knowledge graph and French semantic search of the Walloon PCS."""

__version__ = "0.1.0"
