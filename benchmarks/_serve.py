"""What the served benchmarks share: a throw-away database, signed-in browser identities,
and Attune under gunicorn on a loopback port, configured as ``benchmarks/_site.py`` says."""

import contextlib
import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = "benchmarks._site"
CSRF = "benchmarkcsrfsecretbenchmarkcsrf"  # 32 characters, as Django's cookie holds


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(url: str) -> bool:
    parts = url.split("://", 1)[-1].split("@")[-1].split("/")[0]
    host, _, port = parts.partition(":")
    try:
        socket.create_connection((host or "127.0.0.1", int(port or 6379)), timeout=2).close()
    except OSError:
        return False
    return True


@contextlib.contextmanager
def benchmark_database(*, cache_url: str | None = None) -> Iterator[dict]:
    """Django set up on a new test database (and ``cache_url`` as the cache, if given);
    yields the environment a server process needs to use the same. Drops it all after."""
    var_dir = Path(tempfile.mkdtemp(prefix="attune-served-bench-"))
    # Persistent database connections, as a production server keeps them.
    os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")
    os.environ.update(ATTUNE_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE=SETTINGS)
    if cache_url:
        os.environ["CACHE_URL"] = cache_url
    old_name = None
    try:
        import django

        django.setup()
        from django.core.cache import cache
        from django.db import connection

        old_name = connection.settings_dict["NAME"]
        test_name = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
        cache.clear()
        yield {**os.environ, "ATTUNE_TEST_DATABASE_NAME": str(test_name)}
    finally:
        if old_name is not None:
            from django.db import connection

            connection.close()
            connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(var_dir, ignore_errors=True)


def signed_in_cookie(user) -> str:
    """The Cookie header of a browser in which ``user`` has signed in (with a CSRF cookie)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"sessionid={session.session_key}; csrftoken={CSRF}"


@contextlib.contextmanager
def gunicorn(env: dict, *, workers: int, threads: int) -> Iterator[int]:
    """Attune under gunicorn (gthread) on a free loopback port; yields the port."""
    from django.db import connection

    connection.close()  # the server's processes open their own
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "lms.wsgi:application",
         "--chdir", str(ROOT), "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--worker-class", "gthread", "--threads", str(threads), "--log-level", "warning"],
        env=env,
    )  # fmt: skip
    try:
        deadline = time.time() + 30
        while True:
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                probe.request("GET", "/healthz")
                probe.getresponse().read()
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)
