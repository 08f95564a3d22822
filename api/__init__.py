"""The HTTP service: JSON API, SPARQL endpoint, linked-data URIs and French pages."""
