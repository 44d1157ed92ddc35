"""A webhook receiver on loopback, as an association would run one: it checks every
delivery with the verification code shipped in the README and answers with the status codes
a test scripts."""

import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

README = Path(__file__).resolve().parents[3] / "README.md"


def readme_verifier():
    """``verify_attune_webhook`` exactly as the README's "Verifying a webhook" shows it."""
    text = README.read_text(encoding="utf-8")
    section = text.split("### Verifying a webhook", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    namespace = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - our own documentation
    return namespace["verify_attune_webhook"]


class Receiver:
    def __init__(self, statuses=(), port=0):
        self.secret = ""
        self.statuses = list(statuses)
        self.requests = []
        self.verify = readme_verifier()
        self._arrived = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = dict(self.headers.items())
                genuine = receiver.verify(receiver.secret, self.headers, body)
                with receiver._arrived:
                    scripted = receiver.statuses.pop(0) if receiver.statuses else 200
                    status = scripted if genuine else 401
                    receiver.requests.append(
                        {"headers": headers, "body": body, "genuine": genuine, "status": status}
                    )
                    receiver._arrived.notify_all()
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok" if status < 300 else b"no")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/attune-hooks"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    @staticmethod
    def free_port() -> int:
        """A loopback port nothing listens on (connections to it are refused) until a
        ``Receiver(port=...)`` takes it."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            return probe.getsockname()[1]

    def wait_for(self, count: int, timeout: float = 60) -> list[dict]:
        """Block until ``count`` requests have arrived (or fail after ``timeout``)."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self.requests) >= count, timeout):
                raise AssertionError(f"{len(self.requests)} of {count} deliveries arrived")
            return list(self.requests)
