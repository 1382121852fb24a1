"""The nginx configuration of production Compose (deploy/nginx/oms.conf.template), checked by
Debian's nginx: `nginx -t`, then a live nginx in front of a stand-in API on this machine.

The template is rendered as the nginx image renders it (OMS_MAX_BODY_BYTES filled in) and put
in the http block of a main configuration like the image's. The certificate is a throwaway
one made here. The upstream names (`api`, `keycloak`) need no resolving for `nginx -t`: the
configuration holds them in variables, which nginx resolves per request through Docker's DNS
(127.0.0.11), not when it reads the file. For the live nginx, a copy of the rendered file
names the stand-ins by address instead (`api:3000` -> `127.0.0.1:PORT`), and listens on free
loopback ports instead of 80 and 443; nothing else is changed.
"""

import datetime
import ipaddress
import json
import os
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from oms.core.settings import Settings
from tests.database import in_ci
from tests.deploy.files import NGINX_TEMPLATE

MAX_BODY_BYTES = Settings.model_fields["max_body_bytes"].default
DOMAIN = "shop.example.com"
SSE_PAUSE_SECONDS = 1.5


def nginx_binary() -> str:
    found = shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx",) if os.access(path, os.X_OK)), None
    )
    if found is None:
        if in_ci():
            pytest.fail("nginx is required (Debian's package `nginx`; .ci/run installs it)")
        pytest.skip("nginx is not installed (apt-get install nginx)")
    return found


def rendered_template() -> str:
    """What the nginx image writes to conf.d/default.conf with the API's default limit."""
    text = NGINX_TEMPLATE.read_text()
    assert "${OMS_MAX_BODY_BYTES}" in text
    return text.replace("${OMS_MAX_BODY_BYTES}", str(MAX_BODY_BYTES))


def write_certificate(folder: Path) -> Path:
    """A self-signed certificate for DOMAIN and 127.0.0.1, as fullchain.pem and privkey.pem."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, DOMAIN)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName(DOMAIN), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "fullchain.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (folder / "privkey.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return folder / "fullchain.pem"


def write_main_configuration(prefix: Path, server_configuration: str) -> Path:
    """The image's nginx.conf in short: this file inside `http { }`, plus what a test run
    needs (its own pid file, logs and temporary files under `prefix`)."""
    (prefix / "conf.d").mkdir(parents=True, exist_ok=True)
    (prefix / "conf.d" / "default.conf").write_text(server_configuration)
    # Run as root (CI), the workers must be able to write the temporary files under prefix.
    user = "user root;\n" if os.geteuid() == 0 else ""
    main = prefix / "nginx.conf"
    main.write_text(
        f"{user}worker_processes 1;\n"
        f"pid {prefix}/nginx.pid;\n"
        f"error_log {prefix}/error.log info;\n"
        "events { worker_connections 64; }\n"
        "http {\n"
        "  include /etc/nginx/mime.types;\n"
        "  default_type application/octet-stream;\n"
        f"  access_log {prefix}/access.log;\n"
        f"  client_body_temp_path {prefix}/client_body;\n"
        f"  proxy_temp_path {prefix}/proxy;\n"
        f"  fastcgi_temp_path {prefix}/fastcgi;\n"
        f"  uwsgi_temp_path {prefix}/uwsgi;\n"
        f"  scgi_temp_path {prefix}/scgi;\n"
        f"  include {prefix}/conf.d/*.conf;\n"
        "}\n"
    )
    return main


def test_the_configuration_passes_nginx_t(tmp_path: Path) -> None:
    nginx = nginx_binary()
    write_certificate(tmp_path / "certs")
    configuration = rendered_template().replace("/etc/nginx/certs/", f"{tmp_path}/certs/")
    main = write_main_configuration(tmp_path, configuration)

    checked = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(main)],
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert checked.returncode == 0, checked.stderr
    assert "[emerg]" not in checked.stderr
    assert "test is successful" in checked.stderr


def test_nginx_t_refuses_a_broken_configuration(tmp_path: Path) -> None:
    """The check above can fail: a missing certificate is an error."""
    nginx = nginx_binary()
    configuration = rendered_template().replace("/etc/nginx/certs/", f"{tmp_path}/none/")
    main = write_main_configuration(tmp_path, configuration)

    checked = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(main)],
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert checked.returncode != 0
    assert "[emerg]" in checked.stderr


# --- A live nginx ------------------------------------------------------------------------


@dataclass
class SeenRequest:
    method: str
    path: str
    headers: dict[str, str]
    body_bytes: int


@dataclass
class StandInApi:
    """An HTTP server in the API's place that answers 200 and remembers what reached it."""

    port: int
    seen: list[SeenRequest] = field(default_factory=list)


def _stand_in_handler(api: StandInApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def _record(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            api.seen.append(
                SeenRequest(
                    self.command,
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    len(body),
                )
            )

        def do_GET(self) -> None:
            self._record()
            if self.path.startswith("/api/v1/orders/events"):
                # Two events, a pause between them; the response ends with the connection.
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                self.wfile.write(b'event: order.created\ndata: {"n": 1}\n\n')
                self.wfile.flush()
                time.sleep(SSE_PAUSE_SECONDS)
                self.wfile.write(b'event: order.created\ndata: {"n": 2}\n\n')
                self.wfile.flush()
                return
            self._answer(b'{"ok": true}')

        def do_POST(self) -> None:
            self._record()
            self._answer(json.dumps({"received": api.seen[-1].body_bytes}).encode())

        def _answer(self, body: bytes) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class LiveNginx:
    http_url: str
    https_url: str
    certificate: Path
    api: StandInApi

    def client(self) -> httpx.Client:
        context = ssl.create_default_context(cafile=str(self.certificate))
        return httpx.Client(verify=context, timeout=10.0, headers={"Host": DOMAIN})


@pytest.fixture(scope="module")
def live_nginx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveNginx]:
    nginx = nginx_binary()
    prefix = tmp_path_factory.mktemp("nginx")
    api_server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    api = StandInApi(port=api_server.server_address[1])
    api_server.RequestHandlerClass = _stand_in_handler(api)
    api_server.daemon_threads = True
    threading.Thread(target=api_server.serve_forever, daemon=True).start()

    http_port, https_port, absent_keycloak_port = free_port(), free_port(), free_port()
    certificate = write_certificate(prefix / "certs")
    configuration = rendered_template()
    for original, replacement, times in (
        ("/etc/nginx/certs/", f"{prefix}/certs/", 2),
        ("/var/www/acme", f"{prefix}/acme", 1),
        ("listen 80 default_server;", f"listen 127.0.0.1:{http_port} default_server;", 1),
        ("listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl", 1),
        ("set $oms_api api:3000;", f"set $oms_api 127.0.0.1:{api.port};", 1),
        ("set $keycloak keycloak:8080;", f"set $keycloak 127.0.0.1:{absent_keycloak_port};", 1),
    ):
        assert configuration.count(original) == times, original
        configuration = configuration.replace(original, replacement)
    main = write_main_configuration(prefix, configuration)
    process = subprocess.Popen(
        [nginx, "-p", str(prefix), "-c", str(main), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            if process.poll() is not None:
                error_log = prefix / "error.log"
                log = error_log.read_text() if error_log.exists() else ""
                pytest.fail(
                    f"nginx stopped: {process.stderr.read() if process.stderr else ''}{log}"
                )
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("nginx did not listen within 15 s")
                time.sleep(0.1)
        yield LiveNginx(
            http_url=f"http://127.0.0.1:{http_port}",
            https_url=f"https://127.0.0.1:{https_port}",
            certificate=certificate,
            api=api,
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        api_server.shutdown()
        api_server.server_close()


def test_http_is_redirected_to_https_on_the_same_address(live_nginx: LiveNginx) -> None:
    with live_nginx.client() as client:
        response = client.get(f"{live_nginx.http_url}/orders/42?tab=items")

    assert response.status_code == 301
    assert response.headers["location"] == f"https://{DOMAIN}/orders/42?tab=items"
    assert all(r.path != "/orders/42?tab=items" for r in live_nginx.api.seen)


def test_nginx_answers_its_own_health_check_on_http(live_nginx: LiveNginx) -> None:
    with live_nginx.client() as client:
        response = client.get(f"{live_nginx.http_url}/nginx-health")

    assert response.status_code == 200
    assert response.text == "ok\n"


def test_https_reaches_the_api_with_hsts_and_the_real_client_address(
    live_nginx: LiveNginx,
) -> None:
    with live_nginx.client() as client:
        response = client.get(
            f"{live_nginx.https_url}/api/v1/products?limit=5",
            headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "http"},
        )

    assert response.status_code == 200
    assert response.json() == {"ok": True}
    hsts = response.headers["strict-transport-security"]
    assert int(hsts.split("max-age=")[1].split(";")[0]) >= 365 * 24 * 3600
    seen = next(r for r in live_nginx.api.seen if r.path == "/api/v1/products?limit=5")
    # What a client claims is replaced by the address nginx saw.
    assert seen.headers["x-forwarded-for"] == "127.0.0.1"
    assert seen.headers["x-forwarded-proto"] == "https"
    assert seen.headers["host"] == DOMAIN
    assert "server" not in response.headers or "nginx/" not in response.headers["server"]


def test_the_apps_and_the_api_are_on_one_origin(live_nginx: LiveNginx) -> None:
    with live_nginx.client() as client:
        for path in ("/", "/admin/", "/orders/42", "/.well-known/jwks.json", "/health"):
            assert client.get(f"{live_nginx.https_url}{path}").status_code == 200, path

    assert {"/", "/admin/", "/orders/42", "/.well-known/jwks.json", "/health"} <= {
        r.path for r in live_nginx.api.seen
    }


def test_a_body_of_the_api_limit_passes(live_nginx: LiveNginx) -> None:
    with live_nginx.client() as client:
        response = client.post(
            f"{live_nginx.https_url}/api/v1/orders",
            content=b"x" * MAX_BODY_BYTES,
            headers={"Content-Type": "application/json"},
        )

    assert response.status_code == 200
    assert response.json() == {"received": MAX_BODY_BYTES}


def test_a_larger_body_is_refused_by_nginx_as_the_api_refuses_it(live_nginx: LiveNginx) -> None:
    before = len(live_nginx.api.seen)
    with live_nginx.client() as client:
        response = client.post(
            f"{live_nginx.https_url}/api/v1/products",
            content=b"x" * (MAX_BODY_BYTES + 1),
            headers={"Content-Type": "application/json"},
        )

    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "urn:oms:problem:body-too-large"
    assert problem["status"] == 413
    assert problem["max_bytes"] == MAX_BODY_BYTES
    assert "strict-transport-security" in response.headers
    assert len(live_nginx.api.seen) == before


def test_metrics_are_not_served_to_the_public(live_nginx: LiveNginx) -> None:
    before = len(live_nginx.api.seen)
    with live_nginx.client() as client:
        response = client.get(f"{live_nginx.https_url}/metrics")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 404
    assert len(live_nginx.api.seen) == before


def test_an_unreachable_upstream_is_a_503_problem_with_retry_after(
    live_nginx: LiveNginx,
) -> None:
    with live_nginx.client() as client:
        response = client.get(f"{live_nginx.https_url}/sso/realms/oms")

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "5"
    assert response.json()["status"] == 503
    assert "strict-transport-security" in response.headers


def test_order_events_reach_the_client_as_they_are_sent(live_nginx: LiveNginx) -> None:
    with live_nginx.client() as client:
        started = time.monotonic()
        with client.stream("GET", f"{live_nginx.https_url}/api/v1/orders/events") as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            chunks = response.iter_raw()
            received = b""
            while b'{"n": 1}' not in received:
                received += next(chunks)
            first_after = time.monotonic() - started
            rest = b"".join(chunks)

    # Buffered, the first event would wait for the second (or the end of the stream).
    assert first_after < SSE_PAUSE_SECONDS - 0.5, f"the first event took {first_after:.2f} s"
    assert b'{"n": 2}' in received + rest
