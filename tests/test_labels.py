"""The display vocabulary: every identifier the engine emits has words, and values read well."""

from __future__ import annotations

from typing import Any

import pytest

from journeys import engine, labels
from journeys.engine.tables import KINDS
from journeys.vocabulary import CORE_CHOICES, STAGES


def every_state() -> list[engine.ArchitectureState]:
    states = []
    for stage in STAGES:
        for compute in CORE_CHOICES["compute_model"]:
            for database in CORE_CHOICES["database_engine"]:
                for strict in (False, True):
                    answers: dict[str, Any] = {
                        "compute_model": compute,
                        "database_engine": database,
                        "availability_target": "99.99" if strict else "99.0",
                        "rpo_minutes": 0 if strict else 1440,
                        "rto_minutes": 5 if strict else 2880,
                        "users_geography": "global" if strict else "one_region",
                    }
                    states.append(engine.recommend(stage, answers))
    every_store = ["key_value", "caching", "search", "analytics", "time_series"]
    for stage in STAGES:
        for size in (100, 5000):
            answers = {
                "purpose_built_stores": every_store,
                "db_storage_gb": size,
                "data_lifecycle": "all",
                "caching_layers": ["edge", "api", "application"],
                "app_state": "on_server",
            }
            states.append(engine.recommend(stage, answers))
    return states


def test_every_kind_has_a_label() -> None:
    assert set(KINDS) <= set(labels.KIND_LABELS)


def test_every_parameter_and_usage_the_engine_emits_has_a_label() -> None:
    params, usages = set(), set()
    for state in every_state():
        for c in state.components:
            params |= set(c.params)
            usages |= set(c.usage)
    assert params - set(labels.PARAM_LABELS) == set()
    assert usages - set(labels.USAGE_LABELS) == set()


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("0.029", "$0.029"),
        ("1.7351", "$1.74"),
        ("0.1735", "$0.17"),
        ("0", "$0.00"),
        ("0.0004", "$0.0004"),
    ],
)
def test_money_per_customer_keeps_the_digits_that_matter(value: str, shown: str) -> None:
    assert labels.money_per_customer(value) == shown


@pytest.mark.parametrize(
    ("minutes", "shown"),
    [
        (0, "0 minutes"),
        (1, "1 minute"),
        (45, "45 minutes"),
        (90, "1.5 hours"),
        (1440, "1 day"),
        (4320, "3 days"),
    ],
)
def test_durations_read_as_people_say_them(minutes: int, shown: str) -> None:
    assert labels.duration(minutes) == shown


def test_parameter_values_are_words_with_units() -> None:
    assert labels.param_value("auto_scaling", False) == "No"
    assert labels.param_value("versioning", True) == "Yes"
    assert labels.param_value("storage_gb", 3000) == "3,000 GB"
    assert labels.param_value("engine", "aurora-postgresql") == "Aurora PostgreSQL"
    assert labels.param_value("retention_days", 35) == "35 days"


def test_an_unknown_identifier_reads_as_words_not_as_itself() -> None:
    assert labels.param_label("brand_new_param") == "Brand new param"
    assert labels.kind_label("quantum_db") == "Quantum db"


def test_parameters_that_name_a_component_or_a_service_say_its_name() -> None:
    assert labels.param_value("attached_to", "cdn") == "Content delivery (Amazon CloudFront)"
    assert labels.param_value("attached_to", "load-balancer") == (
        "Load balancer (Elastic Load Balancing)"
    )
    assert labels.param_value("service", "cognito") == "Amazon Cognito"
    assert labels.param_value("gateway_endpoints", "s3,dynamodb") == "Amazon S3, DynamoDB"
