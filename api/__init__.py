"""The HTTP service: JSON API, SPARQL endpoint, linked-data URIs and French pages, from one process.

    from pcs_graph.api.app import create_app
    app = create_app(Settings.from_env())      # uvicorn.run(app): what `pcs serve` does

Installed as `pcs_graph.api` (the folder stays at the top of the repository, as the design card shows
it). Holds the app and its services (`app`, `services`, `http`, `limits`), the JSON API (`json_api`,
`catalog`, `schemas`), the SPARQL protocol (`sparql/`), linked data (`linked_data`, `negotiation`)
and the pages (`pages/`). It only reads: nothing here writes to the store.
May import: search, stats, store, the graph model and the foundation.
"""
