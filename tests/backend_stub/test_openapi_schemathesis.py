"""Schemathesis over every route of the stub: what it answers is what its OpenAPI says.

Every built-in check runs (server errors, undocumented statuses, content types, response
schemas and headers, positive and negative data, auth, unsupported methods, ...; all but
`max_response_time`) in the examples, coverage and fuzzing phases and along the OpenAPI links
(stateful), in-process over ASGI, on a fixed clock and with a fixed
seed, so a run is the same every time and never touches the network. The default run keeps
fuzzing short; `KOELN_SCHEMATHESIS_EXAMPLES=500` fuzzes longer (`KOELN_SCHEMATHESIS_SEED=n` with
another seed), e.g. `KOELN_SCHEMATHESIS_EXAMPLES=500 pytest tests/backend_stub -k documented`.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig

from backend_stub.clock import FixedClock
from backend_stub.main import create_app

ADMIN_TOKEN = "schemathesis-admin-token"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
MONDAY_10 = datetime(2026, 10, 5, 8, 0, tzinfo=UTC)  # 10:00 in Cologne, walk-in hours
SEED = int(os.environ.get("KOELN_SCHEMATHESIS_SEED") or 20261005)
MAX_EXAMPLES = int(os.environ.get("KOELN_SCHEMATHESIS_EXAMPLES") or 12)  # fuzzing, per route

# Loaded at collection (the pytest integration needs the schema then): one stub on its own
# SQLite file, removed when pytest exits (also when none of these tests was selected).
_FOLDER = Path(tempfile.mkdtemp(prefix="koeln-stub-schemathesis-"))
atexit.register(shutil.rmtree, _FOLDER, ignore_errors=True)
APP = create_app(
    f"sqlite:///{_FOLDER / 'stub.sqlite3'}",
    admin_token=ADMIN_TOKEN,
    clock=FixedClock(MONDAY_10),
    queue_speed=0,
    max_wait=1,  # a fuzzed `If-None-Match: *` with `Prefer: wait` is held a second, not 25
    # the ZMS rate limit (60 a minute, on a clock that stands still) would leave the fuzzer
    # nothing but 429s; its answers are tested in tests/backend_stub/test_zms_rate_limit.py
    zms_rate_limit=1_000_000,
)

# Schemathesis's own list of answers to a well-formed request, and 410: a genuine token of an
# earlier day is answered 410 Gone (`ticketExpired`): the ticket existed and is over, which
# answers good data rather than refusing bad data. (The stub answers no 5xx; another check
# would fail on one.)
ANSWERS_TO_GOOD_DATA = ["2xx", "3xx", "401", "403", "404", "409", "410", "429", "5xx"]
# ZMS answers 400 also to well-formed values that name nothing bookable, which no schema can
# tell: an office or service id nobody has, a service the office does not offer, more of a
# service than its maxQuantity, an end date before the start date, a preconfirmation without an
# email address (its errorCodes say which: `invalidOfficeId`, `invalidServiceCount`, ...).


def _config(max_examples: int) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "generation": {
                "mode": "all",
                "max-examples": max_examples,
                "deterministic": True,
                "database": "none",
            },
            "phases": {"examples": {"enabled": True}, "coverage": {"enabled": True}},
            "checks": {
                "enabled": True,
                "positive_data_acceptance": {"expected-statuses": ANSWERS_TO_GOOD_DATA},
            },
            "operations": [
                {
                    # SensorThings takes its query options as strings in its own grammar
                    # (`$filter=name eq 'x'`): FROST answers 400 to a string it cannot read
                    "include-path-regex": "^/FROST-Server/",
                    "checks": {
                        "positive_data_acceptance": {
                            "expected-statuses": [*ANSWERS_TO_GOOD_DATA, "400"]
                        }
                    },
                },
                {
                    # the participation API answers 400 to well-formed answers that do not fit
                    # the survey (an option it does not have, a ranking missing an item, an
                    # answer to a question whose condition is not met; `detail.code` says
                    # which) and to surveys whose questions do not fit together
                    "include-path-regex": "^/participation/v1/",
                    "checks": {
                        "positive_data_acceptance": {
                            "expected-statuses": [*ANSWERS_TO_GOOD_DATA, "400"]
                        }
                    },
                },
                {
                    "include-path-regex": "^/terminvereinbarung/",
                    "checks": {
                        "positive_data_acceptance": {
                            "expected-statuses": [*ANSWERS_TO_GOOD_DATA, "400"]
                        }
                    },
                },
            ],
        }
    )


schema = schemathesis.openapi.from_asgi("/openapi.json", APP, config=_config(MAX_EXAMPLES))


@pytest.fixture(scope="module", autouse=True)
def _close_the_stub_database() -> Iterator[None]:
    yield
    APP.state.engine.dispose()


def test_every_check_runs() -> None:
    # all of schemathesis's checks but `max_response_time`: tests here do not time things
    load_all_checks()
    config = schema.config.checks_config_for()
    assert [
        name for name in CHECKS.get_all_names() if not config.get_by_name(name=name).enabled
    ] == []
    assert "status_code_conformance" in CHECKS.get_all_names()


@schema.parametrize()
def test_every_route_answers_as_documented(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=ADMIN)


class QueueScenarios(schema.as_state_machine()):  # type: ignore[misc]
    """Chains of requests along the OpenAPI links: list, draw a ticket, follow it, ..."""

    def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
        return {"headers": ADMIN}


TestQueueScenarios = QueueScenarios.TestCase
TestQueueScenarios.settings = settings(
    max_examples=MAX_EXAMPLES,
    stateful_step_count=8,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],  # a slow machine is no fault of the API
)
