"""`make run` prints the demo's sign-ins last: its `accounts` process waits for the web
server to answer, prints the table, then idles so the process manager keeps the others."""

import http.server
import threading
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from demo.loader import DEMO_PASSWORD, DEMO_USERS, load_demo

ROOT = Path(__file__).resolve().parents[2]


class _Healthy(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'{"status": "ok"}')

    def log_message(self, *args):
        pass


def test_the_accounts_are_printed_once_the_web_server_answers(framework):
    load_demo()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Healthy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    out = StringIO()
    try:
        call_command(
            "demo_accounts", when_serving=f"http://127.0.0.1:{server.server_port}/", stdout=out
        )
    finally:
        server.shutdown()
    text = out.getvalue()
    assert DEMO_PASSWORD in text
    assert all(spec.email in text for spec in DEMO_USERS)
    assert "Registries and verification pages:" in text
    assert text.rstrip().endswith("sign in with one of the accounts above.")


def test_a_web_server_that_never_answers_is_a_clear_error(db):
    with pytest.raises(CommandError, match="did not answer within 1 s"):
        call_command("demo_accounts", when_serving="http://127.0.0.1:9/", timeout=1)


def test_make_run_prints_the_accounts_as_its_last_process():
    procfile = (ROOT / "Procfile.dev").read_text().strip().splitlines()
    assert procfile[-1].startswith("accounts: ")
    assert "--when-serving http://127.0.0.1:8000/healthz --stay" in procfile[-1]
    makefile = (ROOT / "Makefile").read_text()
    assert "manage.py load_demo --quiet-accounts" in makefile
