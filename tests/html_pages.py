"""Reading a run report's HTML (as written, or as a browser dumped its DOM) with the standard
library's parser: the timeline's bars and waits, the resource table, the embedded data."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any


@dataclass
class Page:
    body: dict[str, str] = field(default_factory=dict)
    bars: list[dict[str, str]] = field(default_factory=list)  # rect.bar: one per task
    waits: list[dict[str, str]] = field(default_factory=list)  # rect.wait
    tasks: list[dict[str, str]] = field(default_factory=list)  # g.task
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)  # the resource table's cells
    data: Any = None  # the embedded JSON
    scripts: int = 0
    texts: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._in: list[str] = []
        self._json: list[str] | None = None
        self._table = False
        self._head = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        classes = values.get("class", "").split()
        if tag == "body":
            self.page.body = values
        elif tag == "rect" and "bar" in classes:
            self.page.bars.append(values)
        elif tag == "rect" and "wait" in classes:
            self.page.waits.append(values)
        elif tag == "g" and "task" in classes:
            self.page.tasks.append(values)
        elif tag == "table" and values.get("id") == "resource-table":
            self._table = True
        elif tag == "thead" and self._table:
            self._head = True
        elif tag == "tr" and self._table and not self._head:
            self.page.rows.append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []
        elif tag == "script":
            self.page.scripts += 1
            if values.get("id") == "report-data":
                self._json = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            text = "".join(self._cell).strip()
            if self._head:
                self.page.headers.append(text)
            else:
                self.page.rows[-1].append(text)
            self._cell = None
        elif tag == "thead":
            self._head = False
        elif tag == "table":
            self._table = False
        elif tag == "script" and self._json is not None:
            self.page.data = json.loads("".join(self._json))
            self._json = None

    def handle_data(self, data: str) -> None:
        if self._json is not None:
            self._json.append(data)
        elif self._cell is not None:
            self._cell.append(data)
        else:
            self.page.texts.append(data)


def read_page(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page
