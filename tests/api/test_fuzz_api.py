"""Fuzz the OpenAPI of the real server with schemathesis: no 5xx, responses as documented.

Deterministic (derandomized Hypothesis) and bounded: at most 25 generated requests per operation.
Checked on each response: not a server error, a documented status code and content type, a body
that matches the documented schema. Not checked: "every schema-valid request is accepted" — a
SPARQL query or a NIS code can be a valid string and still name nothing (a documented 400/404).
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def operations(live_server: str) -> list:
    schema = schemathesis.openapi.from_url(f"{live_server}/openapi.json")
    return [result.ok() for result in schema.get_all_operations()]


def test_openapi_fuzz_finds_no_server_error_and_no_schema_violation(live_server: str) -> None:
    failures: dict[str, str] = {}
    tried = 0
    for operation in operations(live_server):

        @settings(max_examples=25, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def fuzz(case) -> None:
            case.call_and_validate(base_url=live_server, checks=CHECKS, timeout=30)

        tried += 1
        try:
            fuzz()
        except (Exception, BaseExceptionGroup) as e:  # noqa: BLE001 - gathered: one run reports every failing operation
            failures[operation.label] = f"{type(e).__name__}: {e}"[:1500]
    print(f"{tried} operations fuzzed")
    assert tried >= 15
    assert not failures, "\n\n".join(f"{label}\n{text}" for label, text in failures.items())
