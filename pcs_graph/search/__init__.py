"""French semantic search over the actions, and the classifier of uncoded actions.

    from pcs_graph.search.engine import SearchEngine
    engine = SearchEngine.open(workspace)                     # model, index and metadata, loaded once
    engine.search("personnes âgées isolées", SearchFilters(axis=(5,)), k=10).hits

Holds the embedders (`embedders`), French lexical analysis and BM25 (`lexical`), what search knows of
each action (`actions`), the index saved beside the store (`index`), facets and filters (`facets`,
`filters`), ranking (`ranking`), the engine (`engine`), the classifier (`classify`) and the values
they return (`types`).
May import: store, the graph model and the foundation.
"""
