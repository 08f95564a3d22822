"""Errors the API raises itself (besides pcs_graph.errors); api/http.py maps each to its status."""

from __future__ import annotations

from pcs_graph.errors import PcsError


class ResourceNotFound(PcsError):
    """A URI, code or identifier that names nothing in the graph (404)."""


class InvalidParameter(PcsError):
    """A filter value that matches nothing the graph knows: unknown province, partner kind... (422)."""


class NotAcceptable(PcsError):
    """The client accepts none of the formats a route can produce (406)."""


class UnsupportedMediaType(PcsError):
    """A POST body of a content type the route does not read (415)."""


class BadRequest(PcsError):
    """A request that breaks the protocol: missing or repeated parameter, ... (400)."""
