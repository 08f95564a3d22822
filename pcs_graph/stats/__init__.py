"""The counts researchers ask first, each defined once and shown the same by the CLI, the API and the pages.

    from pcs_graph.stats import counts
    counts.totals(store)["actions"]; counts.actions_per_axis(store)[0].label

May import: store, the graph model and the foundation.
"""
