"""How dollars read: small rates keep their digits, nothing is $0, and unknown parts are marked."""

from __future__ import annotations

import pytest

from costzero.presentation.cost_views import rate, usd


@pytest.mark.parametrize(
    ("value", "unknown", "text"),
    [
        (0, 0, "$0"),
        (0.00001, 0, "<$0.0001"),
        (0.0104, 0, "$0.0104"),
        (49.2236, 0, "$49.22"),
        (1234.5, 0, "$1,234.50"),
        (0.0104, 2, "$0.0104 + ?"),
    ],
)
def test_usd(value, unknown, text):
    assert usd(value, unknown) == text


def test_a_rate_reads_per_hour_and_per_730_hour_month():
    assert rate(0.0104) == "$0.0104/h ($7.59/mo)"
