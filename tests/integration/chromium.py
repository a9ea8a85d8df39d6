"""Debian's Chromium, headless, driven over the Chrome DevTools Protocol with aiohttp's WebSocket client.

No browser is downloaded: the test uses ``/usr/bin/chromium`` from Debian's packages (installed by
``scripts/install-system-deps.sh``), started with a fresh profile and everything that would reach
the network switched off. The client is synchronous for the tests' sake: each call runs the
browser's private event loop until the answer comes.
"""

import asyncio
import base64
import itertools
import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import aiohttp

from tollstream.processes import stop_group

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--hide-scrollbars",
    "--mute-audio",
    "--remote-debugging-port=0",
)
KEYS = {
    "Tab": ("Tab", 9),
    "Enter": ("Enter", 13),
    "Escape": ("Escape", 27),
    "ArrowDown": ("ArrowDown", 40),
    "ArrowUp": ("ArrowUp", 38),
    "/": ("Slash", 191),
}


class BrowserError(RuntimeError):
    """Chromium did not start, or a DevTools command failed."""


class Chromium:
    """One headless browser process with one page, driven over its DevTools WebSocket."""

    def __init__(self, profile: Path, log: Path) -> None:
        if not CHROMIUM.exists():
            raise BrowserError(f"{CHROMIUM} is missing: make test installs Debian's chromium")
        self.profile, self.log = profile, log
        self.process = subprocess.Popen(
            [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.loop = asyncio.new_event_loop()
        self.ids = itertools.count(1)
        self.session: aiohttp.ClientSession | None = None
        self.socket: aiohttp.ClientWebSocketResponse | None = None
        self.page_session = ""
        try:
            self.loop.run_until_complete(self._attach())
        except BaseException:
            self.close()
            raise

    def _port(self, timeout: float = 30.0) -> tuple[int, str]:
        """Chromium writes its DevTools port and browser path into the profile once it listens."""
        marker = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BrowserError(f"chromium exited with {self.process.returncode}: {self.log.read_text()[-2000:]}")
            if marker.exists():
                lines = marker.read_text().split()
                if len(lines) == 2:
                    return int(lines[0]), lines[1]
            time.sleep(0.1)
        raise BrowserError("chromium did not open its DevTools port")

    async def _attach(self) -> None:
        port, path = self._port()
        self.session = aiohttp.ClientSession()
        self.socket = await self.session.ws_connect(f"ws://127.0.0.1:{port}{path}", max_msg_size=0)
        target = await self._send("Target.createTarget", {"url": "about:blank"})
        attached = await self._send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})
        self.page_session = attached["sessionId"]
        for domain in ("Page.enable", "Runtime.enable"):
            await self._send(domain, {}, page=True)

    async def _send(self, method: str, params: dict[str, Any], page: bool = False) -> dict[str, Any]:
        assert self.socket is not None
        call = next(self.ids)
        message: dict[str, Any] = {"id": call, "method": method, "params": params}
        if page:
            message["sessionId"] = self.page_session
        await self.socket.send_str(json.dumps(message))
        while True:
            reply = json.loads(await asyncio.wait_for(self.socket.receive_str(), 60))
            if reply.get("id") == call:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """One DevTools command on the page."""
        return self.loop.run_until_complete(self._send(method, params, page=True))

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (promises awaited)."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 30.0) -> Any:
        """Poll an expression until it is truthy; its value, or a failure naming it."""
        deadline = time.monotonic() + timeout
        value = None
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.1)
        raise BrowserError(f"timed out waiting for {expression}; last value {value!r}")

    def open(self, url: str) -> None:
        self.call("Page.navigate", url=url)
        self.wait_for("document.readyState === 'complete'")

    def viewport(self, width: int, height: int, mobile: bool = False) -> None:
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=2 if mobile else 1,
            mobile=mobile,
        )

    def press(self, key: str, shift: bool = False) -> None:
        """A key as a person types it: down, (text), up; sent to whatever has focus."""
        code, number = KEYS.get(key, (key, 0))
        common = {"key": key, "code": code, "windowsVirtualKeyCode": number, "modifiers": 8 if shift else 0}
        text = {"text": key} if len(key) == 1 else ({"text": "\r"} if key == "Enter" else {})
        self.call("Input.dispatchKeyEvent", type="keyDown", **common, **text)
        self.call("Input.dispatchKeyEvent", type="keyUp", **common)

    def screenshot(self, path: Path) -> None:
        shot = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))

    def close(self) -> None:
        """Stop the browser whatever state it is in, and remove its profile."""
        try:
            if self.socket is not None:
                self.loop.run_until_complete(self.socket.close())
            if self.session is not None:
                self.loop.run_until_complete(self.session.close())
        finally:
            self.loop.close()
            stop_group(self.process, grace=10)
            shutil.rmtree(self.profile, ignore_errors=True)
