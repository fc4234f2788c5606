"""Open a local HTML file in headless Chromium and collect every error it shows.

Only the standard library: the Chrome DevTools Protocol over
``--remote-debugging-pipe``. Chromium reads NUL-terminated JSON commands from
its file descriptor 3 and writes NUL-terminated replies and events to its file
descriptor 4.

    with open_page(build / "report.html") as page:
        assert page.errors == []
        assert page.evaluate("document.querySelectorAll('tr').length") == 12

The page is opened from its ``file://`` URL with the browser's default
settings (no ``--allow-file-access-from-files``), the way a clinic manager's
browser opens it. ``Page.errors`` lists, as readable sentences that name the
URL concerned: uncaught exceptions and promise rejections, ``console.error``
and failed ``console.assert`` calls, browser error messages (blocked content,
security errors), resources that failed to load or were blocked, HTTP error
responses, JavaScript dialogs and crashes. It keeps collecting while the page is
open, so errors caused by ``evaluate`` show up there too.

Every read from the browser has a deadline, so a hung browser fails the test
instead of hanging the suite, and the browser (with its child processes) is
killed and its temporary profile removed when the ``with`` block ends, also
after an exception.
"""

from __future__ import annotations

import base64
import fcntl
import json
import math
import os
import select
import shutil
import signal
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Looked up on PATH, in this order.
BROWSERS = ("chromium", "chromium-browser", "google-chrome")

#: A quiet, deterministic browser that needs no display and no sandbox (tests
#: may run as root) and talks to nobody but us.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--remote-debugging-pipe",
    "--disable-extensions",
    "--disable-component-extensions-with-background-pages",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--disable-breakpad",
    "--disable-crash-reporter",
    "--disable-client-side-phishing-detection",
    "--disable-search-engine-choice-screen",
    "--disable-features=Translate,MediaRouter,OptimizationHints",
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
    "--disable-renderer-backgrounding",
    "--disable-hang-monitor",
    "--disable-dev-shm-usage",
    "--disable-field-trial-config",
    "--metrics-recording-only",
    "--password-store=basic",
    "--mute-audio",
    "--hide-scrollbars",
    "--force-color-profile=srgb",
    "--window-size=1280,1024",
)

#: After the load event, wait until no request is in flight and nothing has
#: happened for this long (late console messages, failed late loads) ...
QUIET = 0.1
#: ... but no longer than this: requests still open then are reported.
SETTLE = 5.0


class BrowserError(RuntimeError):
    """Chromium is missing, exited, timed out or refused a command."""


class JavaScriptError(BrowserError):
    """An expression given to ``Page.evaluate`` threw an exception."""


def find_browser() -> str:
    """The path of the first Chromium on PATH; an error that says how to
    install one (tests must fail, not skip, without it)."""
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise BrowserError(
        f"no headless Chromium found (looked for {', '.join(BROWSERS)} on PATH); "
        "run `make test`, which installs Debian's chromium package"
    )


@dataclass
class Page:
    """A page open in headless Chromium: its URL and the errors it produced
    so far (the list grows while the page is open)."""

    url: str
    errors: list[str] = field(default_factory=list)
    #: Seconds each command (and the initial load) may take.
    timeout: float = field(default=30.0, repr=False)
    _browser: _Browser | None = field(default=None, repr=False, compare=False)
    _session: str = field(default="", repr=False, compare=False)
    _requests: dict[str, tuple[str, str]] = field(
        default_factory=dict, repr=False, compare=False)
    _pending: set[str] = field(default_factory=set, repr=False, compare=False)
    _reported: set[str] = field(default_factory=set, repr=False, compare=False)
    _loads: set[str] = field(default_factory=set, repr=False, compare=False)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (promises are
        awaited; the result must be JSON-serializable). Raises
        `JavaScriptError` if it throws."""
        result = self._send("Runtime.evaluate", {
            "expression": expression,
            "returnByValue": True,
            "awaitPromise": True,
        })
        details = result.get("exceptionDetails")
        if details is not None:
            raise JavaScriptError(
                f"{expression!r} threw {_exception_text(details)}")
        return _value(result.get("result", {}))

    def screenshot(self, full_page: bool = False) -> bytes:
        """A PNG picture of the viewport, or of the whole page."""
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            size = self._send("Page.getLayoutMetrics")["cssContentSize"]
            params["captureBeyondViewport"] = True
            params["clip"] = {"x": 0, "y": 0, "width": size["width"],
                              "height": size["height"], "scale": 1}
        return base64.b64decode(self._send("Page.captureScreenshot", params)["data"])

    # The protocol.

    def _send(self, method: str, params: dict[str, Any] | None = None) -> dict:
        if self._browser is None:
            raise BrowserError(f"{self.url} is closed: cannot run {method}")
        return self._browser.send(method, params, session=self._session,
                                  deadline=time.monotonic() + self.timeout)

    def _open(self, browser: _Browser) -> None:
        """Open a tab, navigate to the URL, wait for the load event and for
        the page to settle."""
        deadline = time.monotonic() + self.timeout
        target = browser.send("Target.createTarget", {"url": "about:blank"},
                              deadline=deadline)["targetId"]
        self._session = browser.send(
            "Target.attachToTarget", {"targetId": target, "flatten": True},
            deadline=deadline)["sessionId"]
        self._browser = browser
        browser.on_event = self._record
        for domain in ("Inspector", "Page", "Runtime", "Log", "Network"):
            browser.send(f"{domain}.enable", session=self._session,
                         deadline=deadline)
        browser.send("Page.setLifecycleEventsEnabled", {"enabled": True},
                     session=self._session, deadline=deadline)
        navigation = browser.send("Page.navigate", {"url": self.url},
                                  session=self._session, deadline=deadline)
        if navigation.get("errorText"):
            raise BrowserError(f"cannot open {self.url}: {navigation['errorText']}")
        loader = navigation["loaderId"]
        browser.wait(lambda: loader in self._loads, deadline,
                     f"the load event of {self.url}")
        # Late events. An idle renderer may sit on some reports (of unhandled
        # promise rejections, for one) until it runs another task: give it
        # one, then wait for quiet with no request in flight.
        loaded = time.monotonic()
        browser.send("Runtime.evaluate", {
            "expression": "new Promise(done => setTimeout(done, 10))",
            "awaitPromise": True,
        }, session=self._session, deadline=deadline)
        settle = min(deadline, loaded + SETTLE)
        while browser.wait_quiet(QUIET, settle) and self._pending:
            pass
        for request in sorted(self._pending):
            kind, url = self._requests[request]
            self.errors.append(
                f"{kind} {_short(url)} still loading "
                f"{time.monotonic() - loaded:.1f} s after the load event")

    def _record(self, message: dict) -> None:
        """Note an event of the page: its errors, its requests and loads."""
        if message.get("sessionId") != self._session:
            if (message.get("method") == "Target.detachedFromTarget"
                    and message["params"].get("sessionId") == self._session):
                self._browser = None
                raise BrowserError(f"the browser closed {self.url}; errors so far: "
                                   f"{self.errors}")
            return
        method, params = message["method"], message.get("params", {})
        if method == "Page.lifecycleEvent" and params.get("name") == "load":
            self._loads.add(params["loaderId"])
        elif method == "Network.requestWillBeSent":
            request = params["requestId"]
            self._requests[request] = (params.get("type", "resource"),
                                       params["request"]["url"])
            self._pending.add(request)
        elif method == "Network.loadingFinished":
            self._pending.discard(params["requestId"])
        elif method == "Network.loadingFailed":
            self._pending.discard(params["requestId"])
            self._reported.add(params["requestId"])
            kind, url = self._requests.get(
                params["requestId"], (params.get("type", "resource"), "?"))
            reasons = [params.get("errorText") or "failed"]
            if params.get("blockedReason"):
                reasons.append(f"blocked: {params['blockedReason']}")
            if params.get("corsErrorStatus"):
                reasons.append(f"CORS: {params['corsErrorStatus'].get('corsError')}")
            if params.get("canceled"):
                reasons.append("canceled")
            self.errors.append(
                f"{kind} {_short(url)} failed to load: {', '.join(reasons)}")
        elif method == "Network.responseReceived":
            response = params["response"]
            if response.get("status", 0) >= 400:
                self._reported.add(params["requestId"])
                self.errors.append(
                    f"{params.get('type', 'resource')} {_short(response['url'])}: "
                    f"HTTP {response['status']} {response.get('statusText', '')}"
                    .rstrip())
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            self.errors.append(f"{_exception_text(details)}{_where(details)}")
        elif method == "Runtime.consoleAPICalled":
            if params["type"] in ("error", "assert"):
                text = " ".join(_remote_text(arg) for arg in params.get("args", []))
                frames = params.get("stackTrace", {}).get("callFrames", [])
                where = _where(frames[0]) if frames else ""
                self.errors.append(f"console.{params['type']}: {text}{where}")
        elif method == "Log.entryAdded":
            entry = params["entry"]
            # "Failed to load resource" repeats what the Network events said.
            if (entry["level"] == "error"
                    and entry.get("networkRequestId") not in self._reported):
                where = f" ({_short(entry['url'])})" if entry.get("url") else ""
                self.errors.append(
                    f"{entry.get('source', 'browser')} error: {entry['text']}{where}")
        elif method == "Page.javascriptDialogOpening":
            self.errors.append(
                f"JavaScript {params['type']} dialog: {params['message']}")
            if self._browser is not None:
                self._browser.post("Page.handleJavaScriptDialog",
                                   {"accept": False}, session=self._session)
        elif method == "Inspector.targetCrashed":
            self.errors.append(f"{self.url} crashed")
            raise BrowserError(f"{self.url} crashed; errors so far: {self.errors}")


@contextmanager
def open_page(path: Path, timeout: float = 30.0) -> Iterator[Page]:
    """Open a local HTML file in a new headless Chromium, wait until it has
    loaded and settled, and yield the `Page`. ``timeout`` bounds the start and
    the load, and then each command."""
    url = Path(path).resolve(strict=True).as_uri()
    binary = find_browser()
    browser = _Browser()
    page = Page(url, timeout=timeout)
    try:
        browser.start(binary, deadline=time.monotonic() + timeout)
        page._open(browser)
        yield page
    finally:
        page._browser = None
        browser.close()


class _Browser:
    """One Chromium process, its DevTools pipe and its temporary profile."""

    def __init__(self) -> None:
        self.home = Path(tempfile.mkdtemp(prefix="leafpress-chromium-"))
        self.log = self.home / "chromium.log"
        self.pid: int | None = None
        self.commands = -1  # we write, Chromium reads on its fd 3
        self.events = -1  # Chromium writes on its fd 4, we read
        self.buffer = bytearray()
        self.scanned = 0
        self.last_id = 0
        self.replies: dict[int, dict] = {}
        self.ignored: set[int] = set()
        self.on_event: Callable[[dict], None] = lambda message: None

    def start(self, binary: str, deadline: float) -> None:
        """Start Chromium with the pipes on its fds 3 and 4."""
        child: list[int] = []
        try:
            # The child's ends go to fds >= 10 (close-on-exec) first, so that
            # moving them to 3 and 4 in the child cannot overwrite each other.
            commands_read, self.commands = os.pipe()
            child.append(_high(commands_read))
            self.events, events_write = os.pipe()
            child.append(_high(events_write))
            child.append(_high(os.open(self.log, os.O_WRONLY | os.O_CREAT, 0o600)))
            reads, writes, log = child
            # Crash reports, dconf and such go to the temporary folder too,
            # not to the user's ~/.config/chromium and ~/.cache.
            environment = {**os.environ,
                           "XDG_CONFIG_HOME": str(self.home / "config"),
                           "XDG_CACHE_HOME": str(self.home / "cache")}
            # posix_spawn: no Python code runs in the child (safe with threads).
            self.pid = os.posix_spawn(
                binary,
                [binary, *FLAGS, f"--user-data-dir={self.home / 'profile'}"],
                environment,
                file_actions=[
                    (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                    (os.POSIX_SPAWN_DUP2, log, 1),
                    (os.POSIX_SPAWN_DUP2, log, 2),
                    (os.POSIX_SPAWN_DUP2, reads, 3),
                    (os.POSIX_SPAWN_DUP2, writes, 4),
                ],
                setpgroup=0,  # its own process group: killed together
            )
        finally:
            for fd in child:
                os.close(fd)
        os.set_blocking(self.commands, False)
        self.send("Browser.getVersion", deadline=deadline)  # it is listening

    def post(self, method: str, params: dict[str, Any] | None = None,
             session: str = "", deadline: float | None = None) -> int:
        """Send a command; its reply is dropped unless it is awaited."""
        self.last_id += 1
        message: dict[str, Any] = {"id": self.last_id, "method": method,
                                   "params": params or {}}
        if session:
            message["sessionId"] = session
        data = memoryview(json.dumps(message).encode() + b"\0")
        if deadline is None:
            deadline = time.monotonic() + 5
            self.ignored.add(self.last_id)
        poller = select.poll()
        poller.register(self.commands, select.POLLOUT)
        while data:
            if not poller.poll(_ms(self._remaining(deadline, f"sending {method}"))):
                continue
            try:
                written = os.write(self.commands, data)
            except BlockingIOError:
                continue
            except BrokenPipeError:
                raise BrowserError(
                    f"Chromium exited before {method}{self._log_tail()}") from None
            data = data[written:]
        return self.last_id

    def send(self, method: str, params: dict[str, Any] | None = None,
             session: str = "", *, deadline: float) -> dict:
        """Send a command and return its result; a reply with an error
        raises `BrowserError`."""
        number = self.post(method, params, session, deadline)
        self.wait(lambda: number in self.replies, deadline, f"the reply to {method}")
        reply = self.replies.pop(number)
        if "error" in reply:
            error = reply["error"]
            raise BrowserError(
                f"Chromium refused {method} {json.dumps(params or {})[:200]}: "
                f"{error.get('message')} ({error.get('code')})"
                + (f": {error['data']}" if error.get("data") else ""))
        return reply.get("result", {})

    def wait(self, done: Callable[[], bool], deadline: float, what: str) -> None:
        """Handle messages until ``done()``; a `BrowserError` at the deadline."""
        while not done():
            message = self._read(self._remaining(deadline, what))
            if message is not None:
                self._dispatch(message)

    def wait_quiet(self, quiet: float, deadline: float) -> bool:
        """Handle messages until none came for ``quiet`` seconds (True) or
        the deadline passed (False)."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            message = self._read(min(quiet, left))
            if message is None:
                return left >= quiet
            self._dispatch(message)

    def _dispatch(self, message: dict) -> None:
        if "id" in message:
            if message["id"] in self.ignored:
                self.ignored.discard(message["id"])
            else:
                self.replies[message["id"]] = message
        else:
            self.on_event(message)

    def _read(self, timeout: float) -> dict | None:
        """The next message, or None if none is complete within ``timeout``."""
        end = self.buffer.find(b"\0", self.scanned)
        if end < 0:
            self.scanned = len(self.buffer)
            ready = select.poll()
            ready.register(self.events, select.POLLIN)
            if not ready.poll(_ms(timeout)):
                return None
            chunk = os.read(self.events, 1 << 20)
            if not chunk:
                raise BrowserError(f"Chromium exited{self._log_tail()}")
            self.buffer += chunk
            end = self.buffer.find(b"\0", self.scanned)
            if end < 0:
                self.scanned = len(self.buffer)
                return None
        message = json.loads(self.buffer[:end])
        del self.buffer[:end + 1]
        self.scanned = 0
        return message

    def _remaining(self, deadline: float, what: str) -> float:
        """Seconds left for ``what``; `BrowserError` if none are."""
        left = deadline - time.monotonic()
        if left <= 0:
            raise BrowserError(f"Chromium timed out waiting for {what}"
                               f"{self._log_tail()}")
        return left

    def _log_tail(self) -> str:
        try:
            lines = self.log.read_text(errors="replace").splitlines()[-15:]
        except OSError:
            return ""
        return "; its last messages:\n" + "\n".join(lines) if lines else ""

    def close(self) -> None:
        """Kill Chromium and all its processes, remove the profile."""
        if self.pid is not None:
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            give_up = time.monotonic() + 10
            while time.monotonic() < give_up:
                try:
                    if os.waitpid(self.pid, os.WNOHANG)[0]:
                        break
                except ChildProcessError:  # reaped already (SIGCHLD ignored)
                    break
                time.sleep(0.01)
            self.pid = None
            # The crash handler leaves the process group; it and anything
            # else still using the folder goes too.
            _kill_users(self.home)
        for fd in (self.commands, self.events):
            if fd >= 0:
                os.close(fd)
        self.commands = self.events = -1
        # Killed children may still be dying: try again for a moment.
        for _ in range(50):
            shutil.rmtree(self.home, ignore_errors=True)
            if not self.home.exists():
                break
            time.sleep(0.02)


def _ms(seconds: float) -> int:
    """Seconds as a poll() timeout: whole milliseconds, rounded up."""
    return max(0, math.ceil(seconds * 1000))


def _high(fd: int) -> int:
    """``fd`` moved to a number >= 10, close-on-exec."""
    try:
        return fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    finally:
        os.close(fd)


def _kill_users(folder: Path) -> None:
    """Kill the processes whose command line names ``folder`` (Linux)."""
    marker = os.fsencode(folder) + b"/"
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if marker in (entry / "cmdline").read_bytes():
                os.kill(int(entry.name), signal.SIGKILL)
        except (OSError, ValueError):
            pass  # gone meanwhile, or not ours


def _short(url: str, limit: int = 160) -> str:
    """A URL for a message: file URLs unquoted, long ones cut short."""
    if url.startswith("file:"):
        url = urllib.parse.unquote(url)
    return url if len(url) <= limit else url[:limit - 3] + "..."


def _where(location: dict) -> str:
    """`` (url:line)`` of a call frame or of exception details."""
    url = location.get("url")
    if not url:
        return ""
    return f" ({_short(url)}:{location.get('lineNumber', 0) + 1})"


def _remote_text(value: dict) -> str:
    """A console argument as text."""
    if "value" in value:
        return value["value"] if isinstance(value["value"], str) else json.dumps(
            value["value"])
    return str(value.get("unserializableValue") or value.get("description")
               or value.get("type", "?"))


def _exception_text(details: dict) -> str:
    """``Uncaught Error: boom`` from exception details (no stack)."""
    label = details.get("text") or "Uncaught"
    exception = details.get("exception")
    if not exception:
        return label
    text = _remote_text(exception).split("\n    at ")[0]
    return label if text in label else f"{label} {text}"


def _value(result: dict) -> Any:
    """A returned JavaScript value as Python."""
    if "unserializableValue" in result:
        text = result["unserializableValue"]
        return int(text[:-1]) if text.endswith("n") else float(text)
    return result.get("value")
