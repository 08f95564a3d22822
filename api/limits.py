"""The public endpoint's limits, read once from the settings (`Settings.extra`) or the environment.

| setting (extra key / environment)                  | default | meaning                                   |
| -------------------------------------------------- | ------- | ----------------------------------------- |
| `sparql_timeout` / `PCS_SPARQL_TIMEOUT`            | 10      | seconds a SPARQL query may run (504 after) |
| `sparql_max_results` / `PCS_SPARQL_MAX_RESULTS`    | 10000   | rows or triples a query may return         |
| `sparql_workers` / `PCS_SPARQL_WORKERS`            | 4       | query processes (embedded store)           |
| `sparql_service_allow` / `PCS_SPARQL_SERVICE_ALLOW`| (none)  | space-separated endpoint IRIs SERVICE may call |
| `max_body_bytes` / `PCS_MAX_BODY_BYTES`            | 262144  | largest request body accepted (413 above)  |
| `api_threads` / `PCS_API_THREADS`                  | 8       | threads running store and search calls     |
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from pcs_graph.config import Settings


@dataclass(frozen=True)
class EndpointLimits:
    sparql_timeout: float = 10.0
    sparql_max_results: int = 10_000
    sparql_workers: int = 4
    sparql_service_allow: tuple[str, ...] = ()
    max_body_bytes: int = 256 * 1024
    api_threads: int = 8

    @classmethod
    def from_settings(cls, settings: Settings, environ: dict[str, str] | None = None) -> "EndpointLimits":
        env = os.environ if environ is None else environ

        def get(key: str) -> str | None:
            return settings.extra.get(key) or env.get(f"PCS_{key.upper()}") or None

        defaults = cls()
        return cls(
            sparql_timeout=float(get("sparql_timeout") or defaults.sparql_timeout),
            sparql_max_results=int(get("sparql_max_results") or defaults.sparql_max_results),
            sparql_workers=max(1, int(get("sparql_workers") or defaults.sparql_workers)),
            sparql_service_allow=tuple((get("sparql_service_allow") or "").split()),
            max_body_bytes=int(get("max_body_bytes") or defaults.max_body_bytes),
            api_threads=max(1, int(get("api_threads") or defaults.api_threads)),
        )
