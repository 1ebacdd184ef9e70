"""A minimal headless-Chromium driver for tests, over the DevTools protocol on a pipe.

Chromium started with ``--remote-debugging-pipe`` reads DevTools commands from file descriptor 3
and writes replies and events to descriptor 4, as NUL-terminated JSON. That needs no network
port, no WebSocket library and no driver binary: only Debian's ``chromium`` package. The driver
opens a page, waits for its load event, evaluates expressions (DevTools evaluation is not subject
to the page's Content-Security-Policy, so the test can inspect a page that forbids scripts),
records JavaScript dialogs (an ``alert`` that ran), and captures full-page screenshots.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--hide-scrollbars",
    "--mute-audio",
)


def find_chromium() -> str:
    """The browser's path; skips the test (fails it under CLAIMCHECK_REQUIRE_BROWSER=1) if absent."""
    for name in NAMES:
        path = shutil.which(name)
        if path:
            return path
    reason = (
        "headless Chromium not found (install Debian's package: apt-get install chromium); "
        "the HTML report's browser test needs it"
    )
    if os.environ.get("CLAIMCHECK_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} — CLAIMCHECK_REQUIRE_BROWSER=1 makes it mandatory")
    pytest.skip(reason)


class Browser:
    def __init__(self, executable: str, profile: Path, timeout: float = 60.0) -> None:
        self.timeout = timeout
        to_chrome_r, to_chrome_w = os.pipe()
        from_chrome_r, from_chrome_w = os.pipe()

        def wire_fds() -> None:  # in the child: the pipe ends become fds 3 and 4
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)

        self.proc = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(3, 4),
            preexec_fn=wire_fds,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._out = to_chrome_w
        self._in = from_chrome_r
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        self.session: str | None = None

    # -- protocol ------------------------------------------------------------------------------

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("Chromium did not answer in time")
            ready, _, _ = select.select([self._in], [], [], left)
            if ready:
                chunk = os.read(self._in, 1 << 16)
                if not chunk:
                    raise RuntimeError("Chromium closed the DevTools pipe")
                self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    def send(
        self, method: str, params: dict[str, Any] | None = None, *, browser: bool = False
    ) -> Any:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if self.session and not browser:
            message["sessionId"] = self.session
        os.write(self._out, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, event: str) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        for seen in self.events:
            if seen.get("method") == event:
                return seen
        while True:
            message = self._read_message(deadline)
            self.events.append(message)
            if message.get("method") == "Page.javascriptDialogOpening":
                raise AssertionError(f"a JavaScript dialog opened: {message['params']}")
            if message.get("method") == event:
                return message

    # -- pages ---------------------------------------------------------------------------------

    def open(
        self,
        url: str,
        *,
        width: int = 1280,
        height: int = 900,
        mobile: bool = False,
        record: bool = False,
    ) -> None:
        """Open ``url`` in a new tab; ``record`` also records its requests and log entries
        (:meth:`requests`, :meth:`console_errors`)."""
        target = self.send("Target.createTarget", {"url": "about:blank"}, browser=True)
        attached = self.send(
            "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}, browser=True
        )
        self.session = attached["sessionId"]
        self.send("Page.enable")
        self.send("Runtime.enable")
        if record:
            self.send("Network.enable")
            self.send("Log.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
        )
        self.events.clear()
        self.send("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired")
        time.sleep(0.3)  # let any timer an injected handler might have set fire
        self.send("Runtime.evaluate", {"expression": "0"})  # drain pending events

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression!r}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def media(self, media: str) -> None:
        self.send("Emulation.setEmulatedMedia", {"media": media})

    def screenshot(self, path: Path) -> Path:
        shot = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def requests(self) -> list[str]:
        """Every URL the page asked for (``record=True``)."""
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e.get("method") == "Network.requestWillBeSent"
        ]

    def console_errors(self) -> list[str]:
        """Console errors, uncaught exceptions and error log entries (CSP violations, failed
        loads) of the page (``record=True``)."""
        found = []
        for e in self.events:
            method, params = e.get("method"), e.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(str(params.get("args")))
            elif method == "Runtime.exceptionThrown":
                found.append(str(params.get("exceptionDetails")))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                found.append(params["entry"].get("text", ""))
        return found

    def dialogs(self) -> list[dict[str, Any]]:
        return [e for e in self.events if e.get("method") == "Page.javascriptDialogOpening"]

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.send("Browser.close", browser=True)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._out)
        os.close(self._in)
