"""`costzero prices refresh` where the API cannot answer: one line, non-zero, nothing written.
(moto has no pricing service; the successful refresh is shown with botocore's Stubber in
tests/integration/test_price_list.py.)"""

from __future__ import annotations

from tests.e2e.running import invoke


def test_a_refresh_that_the_endpoint_cannot_answer_is_one_line_and_non_zero(cli_env, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("COSTZERO_RETRIES__MAX_ATTEMPTS", "1")  # moto's answer will not change
    result = invoke("prices", "refresh", "--region", "eu-west-1")
    assert result.exit_code not in (0, 130)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    assert not (tmp_path / "cache").exists()


def test_prices_refresh_rejects_an_unknown_output_format(cli_env):
    result = invoke("prices", "refresh", "-o", "csv")
    assert result.exit_code == 2 and "csv" in result.stderr
