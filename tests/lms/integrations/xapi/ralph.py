"""Ralph (``ralph-malph``) as a real learning record store: its own FastAPI app under
uvicorn, in its own process on a free loopback port, storing statements in a file (the
``fs`` backend) and checking Basic credentials from its auth file. It can be stopped and
started again on the same port with the same statements, as an LRS that goes down."""

import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import bcrypt

USERNAME = "attune-great-lakes"
PASSWORD = "a-long-lrs-secret-for-tests"


# Ralph's file backend writes each batch with its default operation, "create", which
# refuses a file that exists: as shipped it stores the first POST and answers 500 to every
# later one. The launcher makes it append, as a file-backed LRS must; Ralph's API, its
# authentication, validation and duplicate handling are untouched.
LAUNCHER = """
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

from ralph.api import app  # noqa: E402
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Ralph:
    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.process = None
        auth = [
            {
                "agent": {"mbox": "mailto:lrs-admin@great-lakes.example", "objectType": "Agent"},
                "scopes": ["all"],
                "username": USERNAME,
                "hash": bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode(),
            }
        ]
        (folder / "auth.json").write_text(json.dumps(auth))
        (folder / "ralph_lrs.py").write_text(LAUNCHER)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/xAPI/"

    def start(self) -> None:
        env = {
            **os.environ,
            "RALPH_APP_DIR": str(self.folder),
            "RALPH_AUTH_FILE": str(self.folder / "auth.json"),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.folder),
            "RALPH_SENTRY_DSN": "",
        }
        env.pop("RALPH_SENTRY_DSN")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "ralph_lrs:app", "--app-dir", str(self.folder),
             "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "warning"],
            env=env,
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
            stderr=open(self.folder / "ralph.log", "ab"),  # noqa: SIM115
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError((self.folder / "ralph.log").read_text()[-2000:])
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("Ralph did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def _get(self, path: str) -> dict:
        token = base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            headers={"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return json.loads(response.read())

    def statements(self) -> list[dict]:
        """Every statement Ralph holds (GET /xAPI/statements, following ``more``)."""
        found, path = [], "/xAPI/statements/?limit=100"
        while path:
            page = self._get(path)
            found += page["statements"]
            path = page.get("more") or ""
        return found
