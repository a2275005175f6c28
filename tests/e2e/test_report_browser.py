"""The HTML run report in a real headless browser: Debian's Chromium (`make browser` installs it),
started by the test itself, no driver library. `--dump-dom` gives the page after its script ran,
`--enable-logging=stderr` puts every console message on stderr (as `...:CONSOLE:<line>] "..."`),
`--screenshot` renders it. The page must load nothing: name resolution is switched off as well, and
its Content-Security-Policy logs any load it blocks to the console, which the tests require empty.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import struct
import subprocess
import zlib
from pathlib import Path

import boto3
import pytest

from costzero.presentation.report_html import render_html
from tests.e2e.running import account_of, invoke
from tests.html_pages import Page, read_page
from tests.unit.test_run_report import a_destroy, data_of

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # nothing resolves: no load could reach a network
    "--enable-logging=stderr",
    "--v=0",
]
CONSOLE = re.compile(r":CONSOLE[:(]")
TIMEOUT = 90


def _chromium() -> str | None:
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


@pytest.fixture(scope="module")
def chromium() -> str:
    path = _chromium()
    if path is None:
        pytest.skip(
            "no Chromium: `make browser` installs Debian's chromium package (as root, with apt-get); "
            "it is not on PATH nor at /usr/bin/chromium here"
        )
    return path


def browse(chromium: str, tmp_path: Path, page: Path, *args: str) -> tuple[str, str]:
    """Run Chromium once on `page`; stdout and stderr. Its whole process group is ended if it hangs."""
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    command = [chromium, *FLAGS, f"--user-data-dir={profile}", *args, page.resolve().as_uri()]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        stdout, stderr = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise AssertionError(f"chromium did not finish within {TIMEOUT} s") from None
    assert process.returncode == 0, stderr[-2000:]
    return stdout, stderr


def dump(chromium: str, tmp_path: Path, page: Path) -> tuple[Page, list[str]]:
    """The page's DOM after its script ran, and the console messages it logged."""
    dom, stderr = browse(chromium, tmp_path, page, "--dump-dom")
    return read_page(dom), [line for line in stderr.splitlines() if CONSOLE.search(line)]


def assert_rendered(page: Page, console: list[str], tasks: int) -> None:
    assert console == []
    assert page.body.get("data-ready") == "yes"  # the inline script ran to its end
    assert len(page.bars) == tasks and len(page.tasks) == tasks


def test_the_report_of_a_real_destroy_renders_with_one_bar_per_task(chromium, blank, tmp_path):
    ec2 = boto3.client("ec2", endpoint_url=blank["COSTZERO_ENDPOINT_URL"], region_name="us-east-1")
    ec2.create_key_pair(KeyName='<img src=x onerror="console.error(1)">')
    ec2.create_key_pair(KeyName="plain")
    ec2.create_volume(AvailabilityZone="us-east-1a", Size=1)
    done = invoke(
        "destroy",
        *("--type", "ec2:key-pair", "--type", "ec2:volume", "--no-dry-run", "--no-live"),
        *("--yes", "--account", account_of(blank), "--report", "report.html"),
    )
    assert done.exit_code == 0, done.output + done.stderr
    report = tmp_path / "report.html"
    tasks = len(read_page(report.read_text()).data["timeline"]["tasks"])
    assert tasks == 2
    page, console = dump(chromium, tmp_path, report)
    assert_rendered(page, console, tasks)
    assert '<img src=x onerror="console.error(1)">' in {row[2] for row in page.rows}  # text, not markup
    assert len(page.rows) == 3


def test_waits_unknown_prices_and_the_cost_order_in_the_browser(chromium, tmp_path):
    data = data_of(a_destroy())
    report = tmp_path / "report.html"
    report.write_text(render_html(data), encoding="utf-8")
    page, console = dump(chromium, tmp_path, report)
    assert_rendered(page, console, len(data["timeline"]["tasks"]))
    assert len(page.waits) == sum(len(t["waits"]) for t in data["timeline"]["tasks"])
    # the script sorted the table by USD/month, highest first (the page is written by type and id)
    column = page.headers.index("USD/month")
    monthly = [
        float(row[column].lstrip("≥ $").replace(",", "") or -1) for row in page.rows if row[column] != "—"
    ]
    assert monthly == sorted(monthly, reverse=True) and len(monthly) == 3
    assert page.data == json.loads(json.dumps(data))


def test_the_screenshot_shows_a_page(chromium, tmp_path):
    report = tmp_path / "report.html"
    report.write_text(render_html(data_of(a_destroy())), encoding="utf-8")
    shot = tmp_path / "report.png"
    browse(chromium, tmp_path, report, f"--screenshot={shot}", "--window-size=1200,900")
    width, height, pixels = read_png(shot.read_bytes())
    assert (width, height) == (1200, 900)
    assert shot.stat().st_size > 20_000
    assert len(set(pixels)) > 50  # text, cards and bars in many shades, not a blank page


def test_a_console_error_or_a_blocked_load_would_be_seen(chromium, tmp_path):
    """The checks above can fail: loads the policy blocks, and the script's own error (a table row
    missing from the embedded data), reach stderr; the page is then not marked ready."""
    html = render_html(data_of(a_destroy()))
    html = re.sub(r"<tbody><tr>.*?</tr>", "<tbody>", html, count=1)
    html = html.replace(
        "<footer>", '<img src="https://example.com/x.png"><img src="file:///etc/hostname"><footer>'
    )
    report = tmp_path / "broken.html"
    report.write_text(html, encoding="utf-8")
    page, console = dump(chromium, tmp_path, report)
    assert len(console) == 3, console
    assert sum("Content Security Policy" in line for line in console) == 2
    assert any("the table and the embedded data disagree" in line for line in console)
    assert "data-ready" not in page.body


def read_png(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and the inflated image data of a PNG (its chunks read by hand)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, width, height, idat = 8, 0, 0, b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    return width, height, zlib.decompress(idat)
