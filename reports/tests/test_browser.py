"""The report in a real browser (issue #18): Debian's chromium, headless, opens
the rendered index.html and appendix.html in a 1400x900 viewport with the
network offline. The f32 answer is on index.html's first screen; on both
pages every image decodes, nothing is logged as an error, and nothing is
fetched.

Each check is also run on small hand-written pages that break it, so that a
check which cannot fail would fail here.

Without chromium these tests are skipped, unless GELUBENCH_REQUIRE_BROWSER
is set (not empty, not 0): then they error (CI sets it, .ci/run).

GELUBENCH_REPORT_DIR=DIR runs the same checks on a report of your own (a
sweep's report/ directory) as well; CI does so on its quick sweep's.
"""

import base64
import os
import struct
import time
import zlib
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from . import browser
from .browser import console_errors, network_requests, undecoded_images, within_first_screen

ANSWER = "#answer-f32"


def _require_browser() -> bool:
    return os.environ.get("GELUBENCH_REQUIRE_BROWSER", "") not in ("", "0")


def _start(workdir: str) -> browser.Chromium:
    exe = browser.find_chromium()
    if exe is None:
        msg = "chromium is not installed (Debian: apt-get install chromium; scripts/setup installs it)"
        if _require_browser():
            pytest.fail(f"{msg}, and GELUBENCH_REQUIRE_BROWSER is set", pytrace=False)
        pytest.skip(f"{msg}; set GELUBENCH_REQUIRE_BROWSER=1 to make this a failure")
    c = browser.Chromium(exe, workdir)
    try:
        c.start()
    except BaseException:
        c.close()
        raise
    return c


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    c = None
    try:
        c = _start(str(tmp_path_factory.mktemp("chromium")))
        yield c
    finally:
        if c is not None:
            c.close()


PAGES = ("index.html", "appendix.html")  # the report and its per-kernel figures, both self-contained


def _report_dirs() -> list[str]:
    own = os.environ.get("GELUBENCH_REPORT_DIR", "")
    return ["fixtures"] + ([own] if own else [])


@pytest.fixture(scope="module", params=_report_dirs())
def report(request, chromium, two_runs) -> dict[str, browser.Page]:
    out = two_runs.out if request.param == "fixtures" else request.param
    for name in PAGES:
        if not os.path.isfile(os.path.join(out, name)):
            pytest.fail(f"GELUBENCH_REPORT_DIR={out} has no {name}", pytrace=False)
    return {name: chromium.open(Path(os.path.abspath(out), name).as_uri(), (ANSWER,)) for name in PAGES}


# ------------------------------------------------------ the report
def test_f32_answer_is_on_the_first_screen(report):
    assert within_first_screen(report["index.html"], ANSWER) == []


def test_the_pages_show_every_figure(report, two_runs):
    # Between them, every PNG written (test_report.py: each embedded once).
    out = os.path.dirname(unquote(urlparse(report["index.html"].url).path))
    pngs = [f for f in os.listdir(out) if f.endswith(".png")]
    assert all(p.images for p in report.values())
    assert sum(len(p.images) for p in report.values()) == len(pngs)


@pytest.mark.parametrize("name", PAGES)
def test_every_image_decodes(report, name):
    assert undecoded_images(report[name]) == []


@pytest.mark.parametrize("name", PAGES)
def test_no_console_error(report, name):
    assert console_errors(report[name]) == []


@pytest.mark.parametrize("name", PAGES)
def test_no_network_request(report, name):
    page = report[name]
    # The recorder saw the page's own request, so an empty list below means
    # "nothing else", not "nothing recorded".
    own = [p["request"]["url"] for m, p in page.events if m == "Network.requestWillBeSent"]
    assert page.url in own
    assert network_requests(page) == []


# ------------------------------------- the checks detect what they claim
def _png_1x1() -> str:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))
    return "data:image/png;base64," + base64.b64encode(png).decode()


GOOD = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body>
<h1>t</h1>{{before}}<table id="{{table_id}}"{{table_attrs}}><tr><td>pick</td></tr></table>
<img alt="ok" src="{_png_1x1()}">{{after}}</body></html>"""

# name -> (what is added to GOOD, the check that must object, a word of its objection)
BROKEN = {
    "tall element before the table": (dict(before='<div style="height:1000px"></div>'),
                                      lambda p: within_first_screen(p, ANSWER), "first screen"),
    "table not displayed": (dict(table_attrs=' style="display:none"'),
                            lambda p: within_first_screen(p, ANSWER), "empty box"),
    "table missing": (dict(table_id="answer-f64"), lambda p: within_first_screen(p, ANSWER), "no element"),
    "image that does not decode": (dict(after='<img alt="bad" src="data:image/png;base64,AAAA">'),
                                   undecoded_images, "did not decode"),
    "console.error": (dict(after="<script>console.error('boom')</script>"), console_errors, "boom"),
    "uncaught exception": (dict(after="<script>null.boom</script>"), console_errors, "uncaught"),
    "resource that fails to load": (dict(after='<img alt="x" src="http://example.invalid/x.png">'),
                                    console_errors, "log (network)"),
    "remote image": (dict(after='<img alt="x" src="http://example.invalid/x.png">'),
                     network_requests, "http://example.invalid/x.png"),
    "remote stylesheet": (dict(before='<link rel="stylesheet" href="https://example.invalid/a.css">'),
                          network_requests, "https://example.invalid/a.css"),
    "script fetch": (dict(after="<script>fetch('https://example.invalid/d.json').catch(() => 0)</script>"),
                     network_requests, "https://example.invalid/d.json"),
}
CHECKS = {
    "within_first_screen": lambda p: within_first_screen(p, ANSWER),
    "undecoded_images": undecoded_images,
    "console_errors": console_errors,
    "network_requests": network_requests,
}


def _page(tmp_path, name: str, **parts) -> str:
    html = GOOD.format(**{"before": "", "table_id": "answer-f32", "table_attrs": "", "after": "", **parts})
    path = tmp_path / f"{name.replace(' ', '_').replace('.', '_')}.html"
    path.write_text(html, encoding="utf-8")
    return path.as_uri()


def test_checks_pass_a_good_page(chromium, tmp_path):
    page = chromium.open(_page(tmp_path, "good"), (ANSWER,))
    assert len(page.images) == 1
    for name, check in CHECKS.items():
        assert check(page) == [], name


@pytest.mark.parametrize("name", BROKEN)
def test_check_catches(chromium, tmp_path, name):
    parts, check, word = BROKEN[name]
    page = chromium.open(_page(tmp_path, name, **parts), (ANSWER,))
    problems = check(page)
    assert any(word in p for p in problems), problems


# ---------------------------------------------------- no hang, no leftover
# The first two need no chromium: a stand-in that dies, or hangs ignoring SIGTERM.
def _fake_browser(tmp_path, body: str, timeout: float) -> browser.Chromium:
    exe = tmp_path / "fake-chromium"
    exe.write_text(f"#!/bin/sh\n{body}\n")
    exe.chmod(0o755)
    c = browser.Chromium(str(exe), str(tmp_path), timeout=timeout)
    c.start()
    return c


def test_a_browser_that_exits_is_an_error_with_its_log(tmp_path):
    c = _fake_browser(tmp_path, "echo 'fake: no display' >&2; exit 1", timeout=20.0)  # EOF comes first
    try:
        with pytest.raises(browser.BrowserError, match="(?s)exited.*fake: no display"):
            c.open("about:blank")
    finally:
        c.close()


def test_a_silent_browser_times_out_and_is_killed(tmp_path):
    c = _fake_browser(tmp_path, "trap '' TERM; sleep 600 & wait", timeout=1.0)
    pgid = c.pid
    try:
        t0 = time.monotonic()
        with pytest.raises(browser.BrowserError, match="no answer within the deadline"):
            c.open("about:blank")
        assert time.monotonic() - t0 < 5
    finally:
        c.close()
    assert _running_in_group(pgid) == []


def _running_in_group(pgid: int, timeout: float = 5.0) -> list[str]:
    """The processes of group `pgid` still running (neither gone nor a zombie)
    once `timeout` s have passed, or as soon as there is none: a SIGKILL
    takes effect a moment after killpg() returns."""
    deadline = time.monotonic() + timeout
    while (left := _live_in_group(pgid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def test_a_page_that_never_loads_times_out_and_the_browser_is_killed(tmp_path):
    c = _start(str(tmp_path / "chromium"))
    try:
        pgid = c.pid
        t0 = time.monotonic()
        with pytest.raises(browser.BrowserError, match="no answer within the deadline"):
            c.open(_page(tmp_path, "busy", after="<script>for (;;) {}</script>"), timeout=2.0)
        assert time.monotonic() - t0 < 15
        # The browser still serves the next page after giving up on that one.
        assert c.open(_page(tmp_path, "good")).images
    finally:
        c.close()
    # Nothing of the process group is left running (zombies wait for init to reap them).
    assert _running_in_group(pgid) == []


def _live_in_group(pgid: int) -> list[str]:
    out = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)": state, ppid, pgrp, ...
        if int(fields[2]) == pgid and fields[0] != "Z":
            out.append(stat[:80])
    return out
