"""Helpers for the fault tests: a worker in its own process group (killed as a whole, as a
host loses it), a TCP proxy standing between the worker and PostgreSQL that the test can
cut and restore, and a tiny work disk."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.conftest import ROOT, WorkerProcess, worker_environment


class GroupWorker(WorkerProcess):
    """A real worker leading its own process group (ffmpeg included), with its own settings
    module and environment."""

    def __init__(self, *, name: str, env: dict | None = None):
        super().__init__(name=name)
        self.env = env or {}

    def start(self):
        self.log_path = self.log_dir / f"{self.name}-{time.time_ns()}.log"
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "lms", "worker",
                "-Q", "default,transcode", "--pool=solo", "--concurrency=1",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
                "-n", f"{self.name}-{os.getpid()}@%h", "-l", "info",
            ],
            cwd=ROOT,
            env=worker_environment(
                DJANGO_SETTINGS_MODULE="tests.media_pipeline.fault_settings", **self.env
            ),
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        log.close()
        return self

    def kill_group(self):
        """SIGKILL to the worker and everything it started, at once."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self):
        super().stop()
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)


class TcpProxy:
    """Forwards connections from its own port to ``target``. :meth:`stop` closes the port
    and cuts every open connection (as a database host that vanished); :meth:`start` opens
    the same port again."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = 0
        self.listener = None
        self.connections: list[socket.socket] = []
        self.lock = threading.Lock()
        self.running = False

    def start(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        listener.settimeout(0.2)
        self.port = listener.getsockname()[1]
        self.listener = listener
        self.running = True
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def _accept(self, listener):
        while self.running:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.connections += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()
        listener.close()

    @staticmethod
    def _pump(source, sink):
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def stop(self):
        self.running = False
        with contextlib.suppress(OSError):
            self.listener.close()
        with self.lock:
            connections, self.connections = self.connections, []
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()


class TinyDisk:
    """A tmpfs of a few kilobytes (needs root, as the CI runs): writes fail with ENOSPC
    until :meth:`grow` gives it room."""

    def __init__(self, path: Path, size: str):
        self.path = path
        self.size = size
        self.mounted = False

    def mount(self) -> bool:
        self.path.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={self.size}", "tmpfs", str(self.path)],
            capture_output=True,
            check=False,
        )
        self.mounted = done.returncode == 0
        return self.mounted

    def grow(self, size: str):
        subprocess.run(
            ["mount", "-o", f"remount,size={size}", str(self.path)], check=True, timeout=10
        )

    def unmount(self):
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.path)], check=False, timeout=30)
            self.mounted = False
