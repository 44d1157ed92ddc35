"""Heartbeat throughput as a share of a bare Django JSON view, served the same way.

Both views run in one gunicorn (gthread workers, one per core) on loopback with Attune's
middleware, settings and database (SQLite under a throw-away ATTUNE_VAR_DIR, or
DATABASE_URL). A bounded load generator (a fixed number of client threads, each waiting for
its answer before the next request) sends signed-in, CSRF-carrying JSON POSTs: first to the
bare view, then heartbeats, alternating for several short rounds; each figure is the best
round (on a shared machine, the round least disturbed by other work), with the medians too.
Each thread cycles through its own learners, so that a learner's beats are seconds apart and
claim one more second of playback each, as a player's would (beats milliseconds apart would
be credited almost nothing, and only scatter slivers). Prints the side-by-side numbers and writes
benchmarks/results/heartbeat.json. Target: heartbeat ≥ 0.5 of the bare view.

    .venv/bin/python benchmarks/heartbeat.py [--seconds 5] [--clients 4] [--rounds 3]
"""

import argparse
import http.client
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._report import figure, write  # noqa: E402
from benchmarks._serve import CSRF, benchmark_database, gunicorn, signed_in_cookie  # noqa: E402


def prepare(learners: int) -> list[dict]:
    """Fill the throw-away database; return one signed-in client identity per learner."""
    from courses.services.heartbeat import ensure_progress, watch_token
    from media_pipeline.models import Recording
    from tests.factories import OrganizationFactory, UserFactory

    owner = OrganizationFactory()
    recording = Recording.objects.create(
        owner=owner, title="Benchmark", duration=36_000.0, source="bench/original.mp4"
    )
    identities = []
    for _ in range(learners):
        user = UserFactory()
        progress = ensure_progress(learner=user, recording=recording)
        identities.append(
            {
                "cookie": signed_in_cookie(user),
                "token": watch_token(progress=progress, coverage_percent=95),
                "seq": 0,
                "position": 0.0,
            }
        )
    return identities


def request(port: int, path: str, identity: dict) -> int:
    identity["seq"] += 1
    start = identity["position"]
    identity["position"] = start + 1.0
    body = json.dumps(
        {
            "token": identity["token"],
            "session": "bench-session-0001",
            "seq": identity["seq"],
            "ranges": [[start, start + 1.0]],
            "rate": 1,
            "position": start + 1.0,
        }
    )
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/json",
                "Cookie": identity["cookie"],
                "X-CSRFToken": CSRF,
                "Host": "127.0.0.1",
            },
        )
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def load(port: int, path: str, identities: list[dict], clients: int, seconds: float) -> dict:
    """``clients`` threads, each with its own learners, for ``seconds``; requests per second."""
    stop = time.perf_counter() + seconds
    counts = [0] * clients
    errors = [0] * clients

    def run(index):
        mine = identities[index::clients]
        turn = 0
        while time.perf_counter() < stop:
            identity = mine[turn % len(mine)]
            turn += 1
            if request(port, path, identity) == 200:
                counts[index] += 1
            else:
                errors[index] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {"requests": sum(counts), "errors": sum(errors), "rps": sum(counts) / elapsed}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="per measurement")
    parser.add_argument("--clients", type=int, default=4, help="concurrent client threads")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=4, help="per gunicorn worker")
    parser.add_argument("--learners", type=int, default=1500)
    args = parser.parse_args()

    with benchmark_database() as env:
        from django.conf import settings
        from django.db import connection

        identities = prepare(args.learners)
        database = connection.vendor
        with gunicorn(env, workers=args.workers, threads=args.threads) as port:
            # Warm both paths (imports, connections) before measuring.
            load(port, "/bench/bare/", identities, args.clients, 1.0)
            load(port, "/learning/heartbeat/", identities, args.clients, 1.0)
            bare_runs, beat_runs = [], []
            for _ in range(args.rounds):
                bare_runs.append(load(port, "/bench/bare/", identities, args.clients, args.seconds))
                beat_runs.append(
                    load(port, "/learning/heartbeat/", identities, args.clients, args.seconds)
                )
        bare = max(bare_runs, key=lambda r: r["rps"])
        beat = max(beat_runs, key=lambda r: r["rps"])
        ratio = beat["rps"] / bare["rps"] if bare["rps"] else 0.0
        result = {
            "database": database,
            "workers": args.workers,
            "threads": args.threads,
            "clients": args.clients,
            "learners": args.learners,
            "seconds_per_round": args.seconds,
            "rounds": args.rounds,
            "bare_json_rps": round(bare["rps"], 1),
            "heartbeat_rps": round(beat["rps"], 1),
            "bare_json_rps_median": round(statistics.median(r["rps"] for r in bare_runs), 1),
            "heartbeat_rps_median": round(statistics.median(r["rps"] for r in beat_runs), 1),
            "heartbeat_share": round(ratio, 3),
            "errors": sum(r["errors"] for r in bare_runs + beat_runs),
            "target_share": 0.5,
            "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
        }
        print(f"{'view':<22}{'requests/s':>12}")
        print(f"{'bare JSON view':<22}{bare['rps']:>12.1f}")
        print(f"{'heartbeat':<22}{beat['rps']:>12.1f}")
        verdict = "meets" if ratio >= 0.5 else "misses"
        print(f"heartbeat / bare = {ratio:.2f} ({verdict} the 0.5 target) on {database}")
        write(
            "heartbeat" if database == "sqlite" else f"heartbeat_{database}",
            title=f"Heartbeat throughput ({database})",
            figures=[
                figure("heartbeat ÷ bare JSON view, requests per second", ratio, target=0.5,
                       relation=">="),
                figure("bare JSON view", bare["rps"], unit="requests/s"),
                figure("heartbeat", beat["rps"], unit="requests/s"),
                figure("failed requests", result["errors"], target=0, relation="=="),
            ],
            data=result,
        )  # fmt: skip


if __name__ == "__main__":
    main()
