"""The package as tools and installs see it: one `costzero`, no second copies under other names."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import costzero
import costzero.containers
import costzero.domain

ROOT = Path(__file__).resolve().parents[2]


def test_the_repo_root_is_not_a_package_so_src_and_tests_have_no_second_name():
    # Before, the root itself was mapped to `costzero`: costzero.src.domain and costzero.tests
    # imported as copies of costzero.domain and tests, and grimp found no costzero.domain.
    assert importlib.util.find_spec("costzero.src") is None
    assert importlib.util.find_spec("costzero.tests") is None


def test_costzero_resolves_through_the_link_tree_to_the_cards_folders():
    package = Path(costzero.__file__).parent
    assert package == ROOT / "pkg" / "costzero"
    assert (package / "domain").resolve() == ROOT / "src" / "domain"
    assert Path(costzero.containers.__file__).resolve() == ROOT / "containers.py"
    assert Path(costzero.domain.__file__).resolve().parent == ROOT / "src" / "domain"
    # only the links and an empty __init__.py: nothing to drift out of date
    assert sorted(p.name for p in package.iterdir() if p.name != "__pycache__") == [
        "__init__.py",
        "application",
        "containers.py",
        "domain",
        "infrastructure",
        "presentation",
    ]
    assert all((package / n).is_symlink() for n in ("application", "containers.py", "domain"))


def test_the_cli_starts_without_the_container_alembic_or_boto3():
    """`--help`, `--version` and completion import only the command layer; the adapters come with
    the first SDK (about 2 s of imports before, 0.3 s now)."""
    probe = (
        "import sys, costzero.presentation.cli; "
        "print(sorted(m for m in ('costzero.containers', 'alembic', 'boto3') if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"
