"""The README's table of resource types is the registry's (scripts/type_table.py writes it)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).parents[2] / "scripts" / "type_table.py"


def test_the_readme_lists_every_type_as_the_registry_has_it():
    spec = importlib.util.spec_from_file_location("type_table", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = module.README.read_text(encoding="utf-8")
    assert module.rewritten(text) == text, "run: python scripts/type_table.py"
