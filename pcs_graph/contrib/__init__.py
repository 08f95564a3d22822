"""Contributions: the one traceability service every write of the exchange goes through.

    service = ContributionService(workspace, database, workspace.uris)
    version = service.edit_sheet(actor, action_uri, sheet)     # a version in the database + one store update
    service.history(action_uri)                                 # every version, newest first
    service.restore(actor, version.id)                          # a new version saying so

May import: accounts, load (the same one-update write as `pcs ingest`), store, graph, ingest and the foundation.
"""
