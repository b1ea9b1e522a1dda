"""Headless Chromium driven over the Chrome DevTools Protocol, for the
browser tests (test_browser.py): open a page, record what the browser saw,
and the checks on that record.

The protocol runs over a pipe (`--remote-debugging-pipe`: JSON messages
ending in a NUL byte, Chromium reading fd 3 and writing fd 4), so it needs
no Python package and no TCP port. The browser is Debian's `chromium`; it is
started in a session of its own, and `close()` kills that process group
(the browser and its renderer, GPU and zygote children). Every wait has a
deadline; a browser that exits or goes silent raises `BrowserError` with the
tail of its log.
"""

import fcntl
import json
import os
import select
import shutil
import signal
import time
from dataclasses import dataclass, field

VIEWPORT = (1400, 900)  # width, height in CSS px: a laptop screen, the "first screen" of issue #18
TIMEOUT = 30.0          # seconds for any one step (a cold start on a loaded 2-core CI machine takes a few)


class BrowserError(RuntimeError):
    pass


def find_chromium() -> str | None:
    return shutil.which("chromium")


@dataclass
class Page:
    """What the browser recorded while loading `url`, then measured once it had loaded."""
    url: str
    events: list[tuple[str, dict]]   # (CDP method, params) on the page's session, in order
    viewport: tuple[int, int]        # window.innerWidth, innerHeight
    images: list[dict]               # per <img>: src (cut short), complete, naturalWidth
    rects: dict[str, dict | None]    # selector -> getBoundingClientRect() at scroll 0, or None if absent


@dataclass
class Chromium:
    executable: str
    workdir: str                     # profile and log live here; the caller removes it
    timeout: float = TIMEOUT         # seconds for any one wait, unless the call gives its own
    pid: int = 0
    _to: int = -1                    # we write, Chromium reads (its fd 3)
    _from: int = -1                  # Chromium writes (its fd 4), we read
    _buf: bytes = b""
    _next_id: int = 0
    _events: dict[str, list] = field(default_factory=dict)  # sessionId -> [(method, params)]

    def __post_init__(self) -> None:
        self.log = os.path.join(self.workdir, "chromium.log")

    def start(self) -> None:
        profile = os.path.join(self.workdir, "profile")
        os.makedirs(profile, exist_ok=True)
        args = [
            self.executable, "--headless=new",
            "--remote-debugging-pipe",
            f"--user-data-dir={profile}",
            "--no-sandbox",            # CI runs as root, where the sandbox refuses to start; we open only our own files
            "--no-first-run", "--no-default-browser-check",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-default-apps", "--disable-extensions", "--mute-audio",
            # No name resolves: nothing the browser does on its own reaches the network either.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--window-size={VIEWPORT[0]},{VIEWPORT[1]}",
            "about:blank",
        ]
        # The child's ends of the pipes, at fd >= 10 so that dup2 to 3 and 4 clobbers
        # neither (and, being a real dup, clears close-on-exec).
        to_r, to_w = os.pipe()
        from_r, from_w = os.pipe()
        child_in = fcntl.fcntl(to_r, fcntl.F_DUPFD_CLOEXEC, 10)
        child_out = fcntl.fcntl(from_w, fcntl.F_DUPFD_CLOEXEC, 10)
        for fd in (to_r, from_w):
            os.close(fd)
        self._to, self._from = to_w, from_r
        log_fd = os.open(self.log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
        try:
            self.pid = os.posix_spawn(self.executable, args, os.environ, setsid=True, file_actions=[
                (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                (os.POSIX_SPAWN_DUP2, log_fd, 1),
                (os.POSIX_SPAWN_DUP2, log_fd, 2),
                (os.POSIX_SPAWN_DUP2, child_in, 3),
                (os.POSIX_SPAWN_DUP2, child_out, 4),
            ])
        finally:
            for fd in (child_in, child_out, log_fd):
                os.close(fd)

    def close(self) -> None:
        """Kills the browser's process group and reaps the browser; safe to call twice."""
        for fd in (self._to, self._from):
            if fd >= 0:
                os.close(fd)
        self._to = self._from = -1
        if not self.pid:
            return
        pid, self.pid = self.pid, 0
        for sig, grace in ((signal.SIGTERM, 2.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(pid, sig)
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + grace
            while time.monotonic() < deadline:
                try:
                    done, _ = os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:
                    done = pid
                if done:
                    # The browser is gone; its children may still be exiting: make sure.
                    try:
                        os.killpg(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                    return
                time.sleep(0.05)

    # ------------------------------------------------------ protocol
    def log_tail(self, n: int = 20) -> str:
        try:
            with open(self.log, errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return ""

    def _fail(self, what: str) -> BrowserError:
        return BrowserError(f"{what}\n--- last lines of {self.log} ---\n{self.log_tail()}")

    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise self._fail("chromium: no answer within the deadline")
            ready, _, _ = select.select([self._from], [], [], left)
            if ready:
                chunk = os.read(self._from, 1 << 16)
                if not chunk:
                    raise self._fail("chromium closed the DevTools pipe (it exited?)")
                self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def _dispatch(self, msg: dict) -> None:
        if "method" in msg:
            self._events.setdefault(msg.get("sessionId", ""), []).append((msg["method"], msg.get("params", {})))

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float | None = None) -> dict:
        self._next_id += 1
        msg = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        data = json.dumps(msg).encode() + b"\0"
        try:
            while data:
                data = data[os.write(self._to, data):]
        except BrokenPipeError:
            raise self._fail(f"chromium: {method}: the DevTools pipe is closed (it exited?)") from None
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == msg["id"]:
                if "error" in reply:
                    raise BrowserError(f"chromium: {method}: {reply['error']}")
                return reply.get("result", {})
            self._dispatch(reply)

    def wait_event(self, session: str, method: str, timeout: float | None = None) -> dict:
        deadline = time.monotonic() + (timeout or self.timeout)
        seen = 0
        while True:
            events = self._events.get(session, [])
            for m, p in events[seen:]:
                if m == method:
                    return p
            seen = len(events)
            self._dispatch(self._read_message(deadline))

    # ---------------------------------------------------------- pages
    def open(self, url: str, selectors: tuple[str, ...] = (), timeout: float | None = None) -> Page:
        """Loads `url` in a new tab with a VIEWPORT-sized screen and the network
        emulated offline, waits (at most `timeout` s a step) for its load
        event, and measures it."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        s = None
        try:
            s = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            for domain in ("Runtime", "Log", "Network", "Page"):
                self.send(f"{domain}.enable", session=s)
            self.send("Emulation.setDeviceMetricsOverride", {
                "width": VIEWPORT[0], "height": VIEWPORT[1], "deviceScaleFactor": 1, "mobile": False}, s)
            self.send("Network.emulateNetworkConditions", {
                "offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}, s)
            self._events[s] = []  # about:blank's own events are not the page's
            nav = self.send("Page.navigate", {"url": url}, s, timeout)
            if nav.get("errorText"):
                raise BrowserError(f"chromium: cannot open {url}: {nav['errorText']}")
            self.wait_event(s, "Page.loadEventFired", timeout)
            probe = self.send("Runtime.evaluate", {
                "expression": _PROBE % json.dumps(list(selectors)), "returnByValue": True}, s, timeout)
            if "exceptionDetails" in probe:
                raise BrowserError(f"chromium: the probe failed: {probe['exceptionDetails']}")
            v = probe["result"]["value"]
            return Page(url, list(self._events[s]), tuple(v["viewport"]), v["images"], v["rects"])
        finally:
            self._events.pop(s, None)
            try:
                self.send("Target.closeTarget", {"targetId": target}, timeout=5.0)
            except BrowserError:
                pass  # a browser that died here already raised, or will at the next page


# Runs in the page once loaded: scroll to the top, then measure.
_PROBE = """(() => {
  window.scrollTo(0, 0);
  const rects = {};
  for (const sel of %s) {
    const el = document.querySelector(sel);
    rects[sel] = el ? el.getBoundingClientRect().toJSON() : null;
  }
  return {
    viewport: [window.innerWidth, window.innerHeight],
    images: Array.from(document.images, img => ({
      src: img.getAttribute('src') === null ? null : img.getAttribute('src').slice(0, 60),
      complete: img.complete, naturalWidth: img.naturalWidth})),
    rects: rects,
  };
})()"""


# --------------------------------------------------------------- checks
# Each returns the problems found, one line each: [] is a pass.

def within_first_screen(page: Page, selector: str) -> list[str]:
    """The element is laid out (non-empty box) and its bottom edge is within
    the first screen at scroll 0."""
    width, height = VIEWPORT
    if page.viewport != VIEWPORT:
        return [f"viewport is {page.viewport}, not {VIEWPORT}: the measure would not mean anything"]
    r = page.rects.get(selector)
    if r is None:
        return [f"no element {selector}"]
    if r["width"] <= 0 or r["height"] <= 0:
        return [f"{selector} has an empty box ({r['width']} x {r['height']} px): not displayed"]
    if r["top"] < 0 or r["bottom"] > height:
        return [f"{selector} spans y = {r['top']:.0f}..{r['bottom']:.0f} px; the first screen is 0..{height}"]
    return []


def undecoded_images(page: Page) -> list[str]:
    return [f"<img src={i['src']!r}> did not decode (complete={i['complete']}, "
            f"naturalWidth={i['naturalWidth']})"
            for i in page.images if not (i["complete"] and i["naturalWidth"] > 0)]


def console_errors(page: Page) -> list[str]:
    """console.error / console.assert, uncaught exceptions, and the browser's
    own error log entries (a resource that failed to load, a CSP violation...)."""
    out = []
    for method, p in page.events:
        if method == "Runtime.consoleAPICalled" and p["type"] in ("error", "assert"):
            text = " ".join(str(a.get("value", a.get("description", a.get("type")))) for a in p["args"])
            out.append(f"console.{p['type']}: {text}")
        elif method == "Runtime.exceptionThrown":
            d = p["exceptionDetails"]
            out.append(f"uncaught: {d.get('exception', {}).get('description', d.get('text'))}")
        elif method == "Log.entryAdded" and p["entry"]["level"] == "error":
            e = p["entry"]
            out.append(f"log ({e['source']}): {e['text']} {e.get('url', '')}".rstrip())
    return out


def network_requests(page: Page) -> list[str]:
    """Every request the page made other than for itself and data: URIs
    (the network is emulated offline, so these are attempts, all failed)."""
    own = page.url.split("#", 1)[0]
    return [f"{p['request']['method']} {p['request']['url']}"
            for method, p in page.events
            if method == "Network.requestWillBeSent"
            and not p["request"]["url"].startswith("data:")
            and p["request"]["url"].split("#", 1)[0] != own]
