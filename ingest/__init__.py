"""Parsers of plan documents (text, HTML, CSV/XLSX, PDF) into PlanDocument records.

    from pcs_graph.ingest.parse import parse_document
    doc = parse_document(Path("corpus/mons_pcs_2020-2025.txt"), CommuneDirectory.load())
    doc.nis, len(doc.actions)          # ('53053', 32)

Installed as `pcs_graph.ingest` (the folder stays at the top of the repository, as the design card
shows it). Nothing here writes: `pcs_graph.load` stores what the parsers return.
May import: the graph model (records, nomenclature, reference data) and the foundation.
"""
