"""The run report's timeline, drawn as inline SVG on the server: one `rect.bar` per task, its waits
over it, an axis with round ticks. Every text is escaped (task keys are user data)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

LABEL_WIDTH, PLOT_WIDTH, RIGHT = 300, 640, 24
ROW_HEIGHT, BAR_HEIGHT, TOP, AXIS = 24, 14, 8, 40
MIN_BAR = 2.0  # px: a task that took no time still shows


def timeline_svg(timeline: Mapping[str, Any]) -> str:
    tasks: Sequence[Mapping[str, Any]] = timeline["tasks"]
    if not tasks:
        return (
            '<section id="timeline"><h2>Timeline</h2>'
            '<p class="empty">No task ran: a dry run, or a run that stopped before its tasks, '
            "records no task.</p></section>"
        )
    ticks = round_ticks(float(timeline["seconds"]))
    span = ticks[-1]
    width = LABEL_WIDTH + PLOT_WIDTH + RIGHT
    height = TOP + len(tasks) * ROW_HEIGHT + AXIS

    def x(seconds: float) -> float:
        return LABEL_WIDTH + seconds / span * PLOT_WIDTH

    parts = [
        f'<svg class="timeline" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escaped(f"timeline of {len(tasks)} tasks over {secs(span)}")}">',
        '<defs><pattern id="waiting" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fbe7b5"/>'
        '<rect width="3" height="6" fill="#e0a42a"/></pattern></defs>',
    ]
    bottom = TOP + len(tasks) * ROW_HEIGHT
    for tick in ticks:
        px = _n(x(tick))
        parts.append(f'<line class="grid" x1="{px}" y1="{TOP}" x2="{px}" y2="{bottom}"/>')
        parts.append(
            f'<text class="tick" x="{px}" y="{bottom + 14}" text-anchor="middle">{escaped(secs(tick))}</text>'
        )
    parts.append(
        f'<text class="axis-title" x="{LABEL_WIDTH + PLOT_WIDTH / 2}" y="{bottom + 32}" '
        'text-anchor="middle">seconds since the run started</text>'
    )
    for n, task in enumerate(tasks):
        top = TOP + n * ROW_HEIGHT
        y = top + (ROW_HEIGHT - BAR_HEIGHT) / 2
        start, end = float(task["start_s"]), float(task["end_s"])
        bar_width = max(MIN_BAR, x(end) - x(start))
        waited = sum(b - a for a, b in task["waits"])
        tip = (
            f"{task['task']}: {task['state']}, {secs(start)} to {secs(end)}, "
            f"{task['attempts']} attempts, waited {secs(waited)}"
            + (f" ({task['reason']})" if task["reason"] else "")
        )
        parts.append(
            f'<g class="task" data-task="{escaped(task["task"])}" data-state="{escaped(task["state"])}">'
        )
        parts.append(f"<title>{escaped(tip)}</title>")
        parts.append(
            f'<text class="label" x="{LABEL_WIDTH - 8}" y="{_n(top + ROW_HEIGHT / 2 + 4)}" '
            f'text-anchor="end">{escaped(_short(task))}</text>'
        )
        parts.append(
            f'<rect class="bar state-{css_class(task["state"])}" x="{_n(x(start))}" y="{_n(y)}" '
            f'width="{_n(bar_width)}" height="{BAR_HEIGHT}" rx="2"/>'
        )
        for a, b in task["waits"]:
            parts.append(
                f'<rect class="wait" x="{_n(x(a))}" y="{_n(y + 3)}" width="{_n(max(1.0, x(b) - x(a)))}" '
                f'height="{BAR_HEIGHT - 6}"/>'
            )
        parts.append("</g>")
    parts.append("</svg>")
    legend = "".join(
        f'<li><svg width="14" height="10" aria-hidden="true"><rect class="swatch {cls}" width="14" '
        f'height="10"/></svg>{escaped(name)}</li>'
        for cls, name in (
            ("state-succeeded", "succeeded"),
            ("state-failed", "failed"),
            ("state-blocked", "blocked"),
            ("state-skipped", "skipped"),
            ("state-running", "running or interrupted"),
            ("waiting", "waiting (for AWS, or for another task)"),
        )
    )
    return (
        f'<section id="timeline"><h2>Timeline</h2>{"".join(parts)}<ul class="legend">{legend}</ul></section>'
    )


def round_ticks(seconds: float) -> list[float]:
    """0, a round step (1, 2 or 5 x 10^k), ... up to the first tick at or past `seconds`."""
    seconds = seconds if seconds > 0 else 1.0
    raw = seconds / 8
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if raw <= m * magnitude * (1 + 1e-9))
    count = math.ceil(seconds / step - 1e-9)
    return [round(n * step, 6) for n in range(count + 1)]


def _short(task: Mapping[str, Any]) -> str:
    label = f"{task['type']} {task['region']}".strip()
    return label if len(label) <= 44 else label[:43] + "…"


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def secs(value: float) -> str:
    return f"{value:.3g}s" if value < 10 else f"{value:,.0f}s"


def css_class(value: str) -> str:
    """A class name from a state or status (its own vocabulary; anything else cannot break out)."""
    return re.sub(r"[^a-z0-9-]", "-", value.lower())


def escaped(value: Any) -> str:
    """Text as HTML: every text is user data."""
    return escape(str(value), quote=True)
