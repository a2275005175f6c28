"""Write the README's table of resource types from the registry (between its `types` markers).

    python scripts/type_table.py          # rewrite README.md
    python scripts/type_table.py --check  # exit 1 if README.md is not up to date

tests/unit/test_readme_types.py runs the check, so the table never drifts from the catalogue.
"""

from __future__ import annotations

import sys
from pathlib import Path

from costzero.infrastructure.aws.handlers import HANDLER_TYPES

README = Path(__file__).parents[1] / "README.md"
START, END = "<!-- types:start -->", "<!-- types:end -->"


def table() -> str:
    lines = [
        "| type | scope | actions | requires gone first (⁺: only the resources it links to) | what and how |",
        "|---|---|---|---|---|",
    ]
    for handler in sorted(HANDLER_TYPES, key=lambda h: h.spec.key):
        spec = handler.spec
        requires = ", ".join(
            f"`{key}`" + ("⁺" if key in spec.linked_requires else "") for key in sorted(spec.requires)
        )
        words = {"delete": "destroy", "stop": "stop/start"}
        actions = ", ".join(words[str(a)] for a in sorted(spec.actions) if str(a) in words)
        lines.append(f"| `{spec.key}` | {spec.scope} | {actions} | {requires} | {spec.description} |")
    return "\n".join(lines)


def rewritten(text: str) -> str:
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{table()}\n{END}{tail}"


def main() -> None:
    text = README.read_text(encoding="utf-8")
    new = rewritten(text)
    if "--check" in sys.argv:
        if new != text:
            print("README.md's type table is out of date: run python scripts/type_table.py")
            sys.exit(1)
        return
    README.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    main()
