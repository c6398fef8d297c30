"""schemathesis against the API's own OpenAPI description, in process and bounded.

Every operation gets generated requests, valid and invalid. No answer may be a 5xx, and every
answer must match what the schema says about it (status codes, content types, bodies).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from klynge.api.app import create_app

SAMPLE = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "data"
    / "eurostat_employment"
    / "dk_nuts2_employment_a10_2000_2018.csv"
)


@pytest.fixture(scope="module")
def _environment(tmp_path_factory: pytest.TempPathFactory) -> None:
    db = tmp_path_factory.mktemp("schema") / "klynge.db"
    mp = pytest.MonkeyPatch()
    mp.setenv("KLYNGE_DATABASE_URL", f"sqlite:///{db}")
    if SAMPLE.is_file():
        mp.setenv("KLYNGE_REGIONS_SAMPLE", str(SAMPLE))
    mp.setenv("KLYNGE_ROUTE_RATE_PER_MINUTE", "0")


schema = schemathesis.openapi.from_asgi("/openapi.json", create_app())


@pytest.mark.slow
@pytest.mark.usefixtures("_environment")
@schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_matches_its_schema(case: schemathesis.Case) -> None:
    excluded = [positive_data_acceptance] if _depends_on_content(case) else []
    case.call_and_validate(excluded_checks=excluded)


# Operations whose success depends on what an uploaded file holds (is it a dataset? does it
# have that year?), which no schema can say. For them a 422 with a problem document is the
# right answer to schema-valid but meaningless input, so "schema-valid input is accepted" does
# not apply; every other check (no 5xx, documented status codes, bodies match) still does.
CONTENT_DEPENDENT = ("/api/v1/regions/lq", "/api/v1/regions/nodes", "/api/v1/regions/indices")


def _depends_on_content(case: schemathesis.Case) -> bool:
    path = case.operation.path
    return path in CONTENT_DEPENDENT or path.endswith(("/import", "/route/batch"))
