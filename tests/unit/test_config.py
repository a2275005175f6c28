import pytest

from costzero.domain.errors import BadInputError
from costzero.infrastructure.config import load_settings


@pytest.fixture(autouse=True)
def clean(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    import os

    for name in [n for n in os.environ if n.startswith("COSTZERO_")]:
        monkeypatch.delenv(name)
    return tmp_path


def write(tmp_path, text):
    (tmp_path / "costzero.yaml").write_text(text)


def test_defaults():
    settings = load_settings()
    assert settings.regions == ["us-east-1"] and settings.concurrency.workers == 8
    assert settings.max_resources is None and settings.tag_filters() == ()


def test_yaml_then_environment_then_overrides(clean, monkeypatch):
    write(clean, "regions: [eu-west-1]\nconcurrency: {workers: 3, per_service: 2}\nmax_resources: 10\n")
    assert load_settings().regions == ["eu-west-1"]
    monkeypatch.setenv("COSTZERO_CONCURRENCY__WORKERS", "5")
    monkeypatch.setenv("COSTZERO_REGIONS", '["ap-south-1"]')
    settings = load_settings(None, {"max_resources": 7, "regions": None})
    assert settings.concurrency.workers == 5 and settings.concurrency.per_service == 2
    assert settings.regions == ["ap-south-1"]  # None overrides are ignored
    assert settings.max_resources == 7
    assert settings.limits().max_running == 5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour: blue\n", "unknown key 'colour'"),
        ("concurrency: {workerz: 1}\n", "unknown key 'concurrency.workerz'"),
        ("regions: [a\n  b: : c", "invalid YAML at line"),
        ("- just\n- a list\n", "top level must be a mapping"),
        ("exclude_tags: ['=x']\n", "bad tag filter '=x'"),
        ("concurrency: {workers: 999}\n", "concurrency.workers"),
        ("max_resources: -1\n", "max_resources"),
    ],
)
def test_bad_config_is_one_line_bad_input(clean, text, message):
    write(clean, text)
    with pytest.raises(BadInputError) as error:
        load_settings()
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_a_named_config_file_must_exist(clean):
    with pytest.raises(BadInputError, match="not found"):
        load_settings(clean / "nope.yaml")


def test_bad_override_is_bad_input():
    with pytest.raises(BadInputError, match="bad tag filter"):
        load_settings(None, {"exclude_tags": ["a=b=c"]})


@pytest.mark.parametrize("name", ["COSTZERO_REGION", "COSTZERO_CONCURRENCY__WORKRES", "COSTZERO_COLOUR"])
def test_an_unknown_costzero_variable_is_refused(monkeypatch, name):
    monkeypatch.setenv(name, "x")
    with pytest.raises(BadInputError, match=f"unknown setting {name}"):
        load_settings()


def test_the_variables_costzero_reads_are_allowed(monkeypatch):
    monkeypatch.setenv("COSTZERO_CRASH_AT", "")  # read by the crash checkpoints, not the settings
    monkeypatch.setenv("COSTZERO_WAIT__BUDGET_SECONDS", "5")
    monkeypatch.setenv("COSTZERO_MAX_RESOURCES", "7")
    monkeypatch.setenv("COSTZERO_ACCOUNTS__ALIASES__123456789012", "sandbox")
    settings = load_settings()
    assert settings.wait.budget_seconds == 5 and settings.max_resources == 7
    with pytest.raises(BadInputError, match="did you mean COSTZERO_REGIONS"):
        monkeypatch.setenv("COSTZERO_REGION", "eu-west-1")
        load_settings()
