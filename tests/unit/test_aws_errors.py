"""The error-code tables of infrastructure/aws/errors.py: each code once, in one outcome only."""

from __future__ import annotations

from collections import Counter

import pytest
from botocore.exceptions import ClientError

from costzero.domain.errors import CloudError, TemporaryCloudError, ThrottledError
from costzero.domain.outcomes import OutcomeKind
from costzero.infrastructure.aws import errors

TABLES = {
    OutcomeKind.THROTTLED: errors._THROTTLED,
    OutcomeKind.NOT_YET: errors._NOT_YET,
    OutcomeKind.GONE: errors._GONE,
    OutcomeKind.PROTECTED: errors._PROTECTED,
    OutcomeKind.DENIED: errors._DENIED,
}


def client_error(code: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": "m"}}, "Op")


@pytest.mark.parametrize("kind", list(TABLES))
def test_no_code_is_listed_twice_in_one_table(kind):
    repeated = sorted(code for code, n in Counter(TABLES[kind]).items() if n > 1)
    assert repeated == []


def test_no_code_is_in_two_tables():
    tables_of: dict[str, list[str]] = {}
    for kind, codes in TABLES.items():
        for code in codes:
            tables_of.setdefault(code, []).append(str(kind))
    assert {code: kinds for code, kinds in tables_of.items() if len(kinds) > 1} == {}


def test_every_listed_code_classifies_as_its_table():
    assert len(errors.ERROR_TABLE) == sum(len(codes) for codes in TABLES.values())
    for kind, codes in TABLES.items():
        assert {errors.classify(client_error(code)) for code in codes} == {kind}


@pytest.mark.parametrize(
    ("code", "raised"),
    [
        ("SlowDown", ThrottledError),  # a throttling code: told to slow down
        ("DependencyViolation", TemporaryCloudError),  # not yet: tried again
        ("InvalidParameterCombination", TemporaryCloudError),
        ("NoSuchBucket", CloudError),
        ("SomethingNew", CloudError),
    ],
)
def test_translate_keeps_throttling_apart(code, raised):
    assert type(errors.translate(client_error(code))) is raised
