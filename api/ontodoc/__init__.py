"""The ontology, its SHACL shapes and the source-kind scheme as pages and as RDF: /ontology, /ontology/shapes,
/ontology/source-kinds (HTML for browsers, Turtle, JSON-LD, N-Triples, RDF/XML by Accept).

    app.include_router(ontodoc.routes.router)

`model` reads ontology/pcs.ttl and ontology/shapes.ttl into plain data classes; `routes` negotiates
and renders them with the pages' templates (api/templates/ontology.html, shapes.html, source_kinds.html).
"""
