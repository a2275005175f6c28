"""A run report as ONE self-contained HTML page: inline CSS, an inline SVG timeline drawn here (one
`rect.bar` per task, its waits over it), the tables, and a small inline script that sorts the
resource table. Nothing is loaded from anywhere: the page's Content-Security-Policy allows no
source but the page's own style and script (by hash), so it opens offline and a stray link could
not load. Every text is escaped: resource names and messages are user data. The report's data is
embedded as JSON (`#report-data`), the same document `runs report --format json` prints.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from html import escape
from typing import Any

LABEL_WIDTH, PLOT_WIDTH, RIGHT = 300, 640, 24
ROW_HEIGHT, BAR_HEIGHT, TOP, AXIS = 24, 14, 8, 40
MIN_BAR = 2.0  # px: a task that took no time still shows
NUM = ' class="num"'

STYLE = """
:root { --fg: #1d2430; --muted: #5b6675; --line: #d9dee5; --card: #f5f7fa; --accent: #0b6bcb; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 24px; color: var(--fg); background: #fff;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.sub, .note, footer, .empty { color: var(--muted); }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px;
  vertical-align: middle; background: var(--card); border: 1px solid var(--line); }
.status-succeeded { background: #e3f5e8; border-color: #9bd3aa; }
.status-failed, .status-partial { background: #fde8e8; border-color: #eba5a5; }
.status-interrupted { background: #fff4db; border-color: #ecc76e; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 12px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.card h3 { margin: 0; font-size: 12px; text-transform: uppercase; letter-spacing: .04em;
  color: var(--muted); }
.card .big { font-size: 22px; font-weight: 600; margin: 4px 0 0; }
.card .small { color: var(--muted); margin: 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
svg.timeline { width: 100%; height: auto; display: block; }
svg .label { font-size: 11px; fill: var(--fg); }
svg .tick { font-size: 10px; fill: var(--muted); }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg .axis-title { font-size: 11px; fill: var(--muted); }
svg .bar, svg .swatch { fill: #7aa7d9; }
svg .state-succeeded { fill: #4caf72; }
svg .state-failed { fill: #d9534f; }
svg .state-blocked { fill: #e59a3a; }
svg .state-skipped { fill: #b5bcc6; }
svg .wait, svg .swatch.waiting { fill: url(#waiting); }
.legend { display: flex; flex-wrap: wrap; gap: 14px; margin: 6px 0 0; padding: 0; list-style: none;
  color: var(--muted); font-size: 12px; }
.legend svg { vertical-align: middle; margin-right: 4px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
td { overflow-wrap: anywhere; }
th { background: var(--card); cursor: pointer; user-select: none; white-space: nowrap; }
th[aria-sort=ascending]::after { content: " \\25B2"; }
th[aria-sort=descending]::after { content: " \\25BC"; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.unknown { color: #9a5b00; }
.outcome { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
"""

# Sorts the resource table by a clicked header (numbers by their data-v), by cost on load; checks
# that the table holds every row of the embedded data; marks the page ready for the browser test.
SCRIPT = """
(function () {
  "use strict";
  var table = document.getElementById("resource-table");
  var data = JSON.parse(document.getElementById("report-data").textContent);
  if (!table) { document.body.setAttribute("data-ready", "yes"); return; }
  var heads = table.tHead.rows[0].cells;
  function value(cell) {
    var v = cell.getAttribute("data-v");
    return v === null ? cell.textContent.toLowerCase() : parseFloat(v);
  }
  function sort(column, direction) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = value(a.cells[column]), y = value(b.cells[column]);
      return (x < y ? -1 : x > y ? 1 : 0) * direction;
    });
    for (var i = 0; i < heads.length; i++) { heads[i].removeAttribute("aria-sort"); }
    heads[column].setAttribute("aria-sort", direction > 0 ? "ascending" : "descending");
    rows.forEach(function (row) { body.appendChild(row); });
  }
  Array.prototype.forEach.call(heads, function (head, column) {
    head.addEventListener("click", function () {
      sort(column, head.getAttribute("aria-sort") === "ascending" ? -1 : 1);
    });
  });
  if (table.tBodies[0].rows.length !== data.resources.length) {
    console.error("report: the table and the embedded data disagree");
    return;
  }
  var byCost = table.querySelector("th[data-key=usd_per_month]");
  if (byCost) { sort(byCost.cellIndex, -1); }
  document.body.setAttribute("data-ready", "yes");
})();
"""


def render_html(data: Mapping[str, Any]) -> str:
    """The page of `run_report.report_data(...)`."""
    run = data["run"]
    title = f"costzero {run['kind']} run {run['id']}"
    csp = (
        "default-src 'none'; "
        f"style-src '{_digest(STYLE)}'; script-src '{_digest(SCRIPT)}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    body = "\n".join(
        [
            _header(data),
            _summary(data),
            _cost_cards(data),
            _timeline(data["timeline"]),
            _resource_table(data["resources"], real=not run["dry_run"]),
            f"<footer><p>Generated by costzero at {_e(_when(data['generated_at']))}. "
            "Rates: AWS on-demand list prices, as the run priced them when it started.</p></footer>",
        ]
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n{body}\n"
        f'<script type="application/json" id="report-data">{_json_in_html(data)}</script>\n'
        f"<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )


def _header(data: Mapping[str, Any]) -> str:
    run = data["run"]
    status = str(run["status"])
    dry = ' <span class="badge">dry run</span>' if run["dry_run"] else ""
    took = run["duration_seconds"]
    facts = [
        f"account {_e(run['account'] or 'unknown')}",
        _e(", ".join(run["regions"]) or "no region"),
        f"started {_e(_when(run['started_at']))}",
    ]
    if took is not None:
        facts.append(f"took {_e(_secs(took))}")
    return (
        f"<header><h1>costzero {_e(run['kind'])} run <code>{_e(run['id'])}</code> "
        f'<span class="badge status-{_cls(status)}">{_e(status)}</span>{dry}</h1>\n'
        f'<p class="sub">{" · ".join(facts)}</p></header>'
    )


def _summary(data: Mapping[str, Any]) -> str:
    run = data["run"]
    rows = [
        ("Outcome", run["summary"]),
        ("Resource types", ", ".join(run["types"]) or "none"),
        ("Started", _when(run["started_at"])),
        ("Finished", _when(run["finished_at"]) if run["finished_at"] else "not finished"),
        ("Tasks", str(len(data["timeline"]["tasks"]))),
        ("Resources", str(len(data["resources"]))),
    ]
    if run["error"]:
        rows.append(("Error", str(run["error"])))
    items = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows)
    return f'<section id="summary"><h2>Summary</h2><dl class="facts">{items}</dl></section>'


def _cost_cards(data: Mapping[str, Any]) -> str:
    cost, savings = data["cost"], data["savings"]
    low = "≥ " if cost["unknown"] else ""
    after_low = "≥ " if cost["after_unknown"] else ""
    cards = [
        _card(
            "Cost before",
            f"{low}{_month(cost['before_usd_per_month'])}",
            f"{low}{_hour(cost['before_usd_per_hour'])} · {cost['resources']} resources priced at the start",
        ),
        _card(
            "Cost after",
            f"{after_low}{_month(cost['after_usd_per_month'])}"
            if cost["after_usd_per_month"] is not None
            else "—",
            f"{after_low}{_hour(cost['after_usd_per_hour'])}"
            if cost["after_usd_per_hour"] is not None
            else "",
        ),
    ]
    slow = "≥ " if savings["unknown"] else ""
    if savings["kind"] == "saved":
        cards.append(
            _card("Saved so far", f"{slow}{_usd(savings['so_far_usd'])}", f"as of {_when(savings['as_of'])}")
        )
        cards.append(
            _card(
                "Still saving",
                f"{slow}{_month(savings['usd_per_month'])}",
                f"{slow}{_hour(savings['usd_per_hour'])}, projected",
            )
        )
    elif savings["kind"] == "would-save":
        cards.append(
            _card(
                "Would save",
                f"{slow}{_month(savings['usd_per_month'])}",
                f"{slow}{_hour(savings['usd_per_hour'])} if run for real",
            )
        )
    notes = [savings["note"]] if savings["note"] else []
    if cost["unknown"]:
        notes.append(
            f"{cost['unknown']} of {cost['resources']} resources have a usage costzero has no price for: "
            "totals count the known part (≥) and never take the unknown as zero."
        )
    if not cost["resources"]:
        notes.append("The run recorded no rates: nothing it acted on was priced.")
    note_html = "".join(f'<p class="note">{_e(n)}</p>' for n in notes)
    return f'<section id="cost"><h2>Cost</h2><div class="cards">{"".join(cards)}</div>{note_html}</section>'


def _card(title: str, big: str, small: str) -> str:
    return (
        f'<div class="card"><h3>{_e(title)}</h3><p class="big">{_e(big)}</p>'
        f'<p class="small">{_e(small)}</p></div>'
    )


def _timeline(timeline: Mapping[str, Any]) -> str:
    tasks: Sequence[Mapping[str, Any]] = timeline["tasks"]
    if not tasks:
        return (
            '<section id="timeline"><h2>Timeline</h2>'
            '<p class="empty">No task ran: a dry run, or a run that stopped before its tasks, '
            "records no task.</p></section>"
        )
    ticks = _ticks(float(timeline["seconds"]))
    span = ticks[-1]
    width = LABEL_WIDTH + PLOT_WIDTH + RIGHT
    height = TOP + len(tasks) * ROW_HEIGHT + AXIS

    def x(seconds: float) -> float:
        return LABEL_WIDTH + seconds / span * PLOT_WIDTH

    parts = [
        f'<svg class="timeline" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_e(f"timeline of {len(tasks)} tasks over {_secs(span)}")}">',
        '<defs><pattern id="waiting" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fbe7b5"/>'
        '<rect width="3" height="6" fill="#e0a42a"/></pattern></defs>',
    ]
    bottom = TOP + len(tasks) * ROW_HEIGHT
    for tick in ticks:
        px = _n(x(tick))
        parts.append(f'<line class="grid" x1="{px}" y1="{TOP}" x2="{px}" y2="{bottom}"/>')
        parts.append(
            f'<text class="tick" x="{px}" y="{bottom + 14}" text-anchor="middle">{_e(_secs(tick))}</text>'
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
            f"{task['task']}: {task['state']}, {_secs(start)} to {_secs(end)}, "
            f"{task['attempts']} attempts, waited {_secs(waited)}"
            + (f" ({task['reason']})" if task["reason"] else "")
        )
        parts.append(f'<g class="task" data-task="{_e(task["task"])}" data-state="{_e(task["state"])}">')
        parts.append(f"<title>{_e(tip)}</title>")
        parts.append(
            f'<text class="label" x="{LABEL_WIDTH - 8}" y="{_n(top + ROW_HEIGHT / 2 + 4)}" '
            f'text-anchor="end">{_e(_short(task))}</text>'
        )
        parts.append(
            f'<rect class="bar state-{_cls(task["state"])}" x="{_n(x(start))}" y="{_n(y)}" '
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
        f'height="10"/></svg>{_e(name)}</li>'
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


def _resource_table(rows: Iterable[Mapping[str, Any]], *, real: bool) -> str:
    rows = list(rows)
    if not rows:
        return '<section id="resources"><h2>Resources</h2><p class="empty">No resource.</p></section>'
    columns = [
        ("type", "Type", False),
        ("id", "ID", False),
        ("name", "Name", False),
        ("region", "Region", False),
        ("outcome", "Outcome", False),
        ("message", "Message", False),
        ("usd_per_hour", "USD/hour", True),
        ("usd_per_month", "USD/month", True),
    ]
    if real:
        columns.append(("saved_usd", "Saved so far", True))
    head = "".join(
        f'<th scope="col" data-key="{key}"{NUM if num else ""}>{_e(label)}</th>'
        for key, label, num in columns
    )
    body = []
    for row in rows:
        cells = []
        for key, _, num in columns:
            value = row.get(key)
            if not num:
                css = ' class="outcome"' if key == "outcome" else ""
                cells.append(f"<td{css}>{_e('' if value is None else value)}</td>")
                continue
            unknown = key != "saved_usd" and row.get("known") is False
            sort_value = -1.0 if value is None else float(value)
            text = "—" if value is None else ("≥ " if unknown else "") + _money(float(value), key)
            css = "num unknown" if unknown else "num"
            tip = ' title="some of its usage has no known price"' if unknown else ""
            cells.append(f'<td class="{css}" data-v="{sort_value}"{tip}>{_e(text)}</td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        '<section id="resources"><h2>Resources</h2>'
        f'<table id="resource-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></section>"
    )


def _ticks(seconds: float) -> list[float]:
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


def _money(value: float, key: str) -> str:
    return _hour(value) if key == "usd_per_hour" else _usd(value)


def _usd(value: float | None) -> str:
    return "—" if value is None else f"${value:,.2f}"


def _hour(value: float | None) -> str:
    if value is None:
        return "—"
    return f"${value:,.4f}/h" if value < 1 else f"${value:,.2f}/h"


def _month(value: float | None) -> str:
    return "—" if value is None else f"${value:,.2f}/month"


def _secs(value: float) -> str:
    return f"{value:.3g}s" if value < 10 else f"{value:,.0f}s"


def _when(value: Any) -> str:
    """An ISO time as "2025-01-02 03:04:05 UTC" (as given when it carries no zone)."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _cls(value: str) -> str:
    """A class name from a state or status (its own vocabulary; anything else cannot break out)."""
    return re.sub(r"[^a-z0-9-]", "-", value.lower())


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def _json_in_html(data: Mapping[str, Any]) -> str:
    """JSON that cannot end its <script> element or open a comment: <, > and & as \\u escapes."""
    text = json.dumps(data, default=str, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _digest(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
