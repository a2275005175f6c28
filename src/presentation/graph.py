from __future__ import annotations

from costzero.domain.registry import ResourceRegistry


def _node(key: str) -> str:
    return key.replace(":", "_").replace("-", "_")


def render_graph(registry: ResourceRegistry, fmt: str = "text") -> str:
    """The registry's `requires` relation as text, Mermaid or DOT.

    Arrows point from what must be gone first to what waits for it ("X --> Y": delete X before Y).
    """
    specs = sorted(registry, key=lambda spec: spec.key)
    if fmt == "text":
        width = max(len(spec.key) for spec in specs)
        lines = [
            f"{spec.key:<{width}}  {spec.scope.value:<8}  "
            + (f"after {', '.join(spec.requires)}" if spec.requires else "no prerequisites")
            for spec in specs
        ]
        return "\n".join(lines)
    if fmt == "mermaid":
        lines = ["graph LR"]
        lines += [f'    {_node(spec.key)}["{spec.key}"]' for spec in specs]
        lines += [
            f"    {_node(required)} --> {_node(spec.key)}" for spec in specs for required in spec.requires
        ]
        return "\n".join(lines)
    if fmt == "dot":
        lines = ["digraph costzero {", "    rankdir=LR;"]
        lines += [f'    "{spec.key}";' for spec in specs]
        lines += [f'    "{required}" -> "{spec.key}";' for spec in specs for required in spec.requires]
        lines.append("}")
        return "\n".join(lines)
    raise ValueError(f"unknown graph format {fmt!r}")


TYPE_FIELDS = (
    "type",
    "service",
    "scope",
    "actions",
    "requires",
    "tag_filters",
    "delete_batch_size",
    "description",
)


def type_rows(registry: ResourceRegistry) -> list[dict[str, object]]:
    """Every registered type: scope, actions, what must be gone first, whether tag filters apply."""
    return [
        {
            "type": spec.key,
            "service": spec.service,
            "scope": spec.scope.value,
            "actions": sorted(action.value for action in spec.actions),
            "requires": list(spec.requires),
            "tag_filters": spec.taggable,
            "delete_batch_size": spec.delete_batch_size,
            "description": spec.description,
        }
        for spec in sorted(registry, key=lambda spec: spec.key)
    ]


def graph_as_dict(registry: ResourceRegistry) -> dict[str, object]:
    """The `requires` relation as data: nodes, and edges from what goes first to what waits for it."""
    specs = sorted(registry, key=lambda spec: spec.key)
    return {
        "types": [spec.key for spec in specs],
        "edges": [{"first": required, "then": spec.key} for spec in specs for required in spec.requires],
    }
