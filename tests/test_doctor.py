"""letta-nb doctor's network check: a server that answers without a password on an interface beyond loopback is a
failure, one on 127.0.0.1 is fine. Every socket here is on 127.0.0.1; the wider address is given, never bound."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from letta_nb.local import doctor


class _Open(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"[]")

    def log_message(self, *args):
        pass


@pytest.fixture
def serve():
    servers = []

    def start(host: str) -> int:
        server = ThreadingHTTPServer((host, 0), _Open)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server.server_address[1]

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_loopback_only_is_ok(serve):
    port = serve("127.0.0.1")
    assert doctor.listening_addresses(port) == ["127.0.0.1"]
    assert doctor.exposure(port, f"http://127.0.0.1:{port}").status == "ok"


def test_all_interfaces_without_a_password_fails(serve):
    port = serve("127.0.0.1")  # the server answers without a password; the addresses say it listens everywhere
    check = doctor.exposure(port, f"http://127.0.0.1:{port}", addresses=["0.0.0.0"])
    assert check.status == "fail" and "without a password" in check.detail and "127.0.0.1" in check.detail


def test_a_port_nobody_listens_on_gives_no_check():
    assert doctor.exposure(9, "http://127.0.0.1:9") is None
