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
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from costzero.presentation.report_timeline import css_class, escaped, secs, timeline_svg

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
            timeline_svg(data["timeline"]),
            _resource_table(data["resources"], real=not run["dry_run"]),
            f"<footer><p>Generated by costzero at {escaped(_when(data['generated_at']))}. "
            "Rates: AWS on-demand list prices, as the run priced them when it started.</p></footer>",
        ]
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{escaped(csp)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escaped(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
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
        f"account {escaped(run['account'] or 'unknown')}",
        escaped(", ".join(run["regions"]) or "no region"),
        f"started {escaped(_when(run['started_at']))}",
    ]
    if took is not None:
        facts.append(f"took {escaped(secs(took))}")
    return (
        f"<header><h1>costzero {escaped(run['kind'])} run <code>{escaped(run['id'])}</code> "
        f'<span class="badge status-{css_class(status)}">{escaped(status)}</span>{dry}</h1>\n'
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
    items = "".join(f"<dt>{escaped(k)}</dt><dd>{escaped(v)}</dd>" for k, v in rows)
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
    note_html = "".join(f'<p class="note">{escaped(n)}</p>' for n in notes)
    return f'<section id="cost"><h2>Cost</h2><div class="cards">{"".join(cards)}</div>{note_html}</section>'


def _card(title: str, big: str, small: str) -> str:
    return (
        f'<div class="card"><h3>{escaped(title)}</h3><p class="big">{escaped(big)}</p>'
        f'<p class="small">{escaped(small)}</p></div>'
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
        f'<th scope="col" data-key="{key}"{NUM if num else ""}>{escaped(label)}</th>'
        for key, label, num in columns
    )
    body = []
    for row in rows:
        cells = []
        for key, _, num in columns:
            value = row.get(key)
            if not num:
                css = ' class="outcome"' if key == "outcome" else ""
                cells.append(f"<td{css}>{escaped('' if value is None else value)}</td>")
                continue
            unknown = key != "saved_usd" and row.get("known") is False
            sort_value = -1.0 if value is None else float(value)
            text = "—" if value is None else ("≥ " if unknown else "") + _money(float(value), key)
            css = "num unknown" if unknown else "num"
            tip = ' title="some of its usage has no known price"' if unknown else ""
            cells.append(f'<td class="{css}" data-v="{sort_value}"{tip}>{escaped(text)}</td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        '<section id="resources"><h2>Resources</h2>'
        f'<table id="resource-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></section>"
    )


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


def _json_in_html(data: Mapping[str, Any]) -> str:
    """JSON that cannot end its <script> element or open a comment: <, > and & as \\u escapes."""
    text = json.dumps(data, default=str, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _digest(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
