"""Launch day: 200 learners arrive at one webinar, served by one 2-core web machine.

gunicorn (2 processes × 4 threads, gthread) on PostgreSQL, with the shared Redis cache and
cached sessions when Redis answers (as docs/deploy.md sets production up), in a throw-away
database holding an association with a catalog of 60 trainings (``demo.scale``), the demo
webinar with its recording and three-question post-test, and 200 signed-in learners
enrolled in it. Two measurements, in one run, against the same server:

1. **The launch**: a bounded mixed load from this process, 32 requests at a time at most.
   The learners arrive over the first 20 s; each opens the catalog, then the webinar's page
   (its player), then beats every 10 s with the next 10 s of playback, as the player does;
   one in ten takes the post-test (opens it, starts, submits) after its third beat. Prints
   p50/p99 latency, requests and errors per endpoint.
2. **Capacity**: each endpoint alone in a closed loop (``--clients`` connections, each
   waiting for its answer before the next request), alternating in rounds with a bare
   Django JSON view behind the same middleware; each endpoint's best round of requests per
   second divided by the bare view's best (GET pages against a GET of the bare view,
   heartbeats against a JSON POST to it).

Targets (here, never in tests): 0 errors; heartbeat ≥ 0.8 of the bare view; the p99 of every
page ≤ 1 s on an idle 2-core machine (the load average before the run is recorded: on a
machine busy with other work the latencies are a floor, the ratios still hold). Writes
benchmarks/results/load.json.

    .venv/bin/python benchmarks/load.py [--learners 200] [--seconds 60] [--connections 32]
"""

import argparse
import heapq
import http.client
import itertools
import json
import os
import random
import re
import statistics
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("LOG_LEVEL", "WARNING")

from benchmarks._report import figure, postgres_url, write  # noqa: E402
from benchmarks._serve import (  # noqa: E402
    CSRF,
    answers,
    benchmark_database,
    gunicorn,
    signed_in_cookie,
)

HOST = "launch.localhost"
LOCAL_REDIS = "redis://127.0.0.1:6379/7"
BEAT_SECONDS = 10.0
PAGES = ("catalog", "training page", "post-test page", "post-test start", "post-test submit")
TOKEN = re.compile(r'data-token="([^"]+)"')
ATTEMPT = re.compile(r'name="attempt" value="(\d+)"')
CHOICE = re.compile(r'name="(q-[^"]+)" value="([^"]+)"')


@dataclass
class Learner:
    cookie: str
    takes_post_test: bool
    token: str = ""
    seq: int = 0
    position: float = 0.0
    beats: int = 0


@dataclass
class Tally:
    seconds: dict = field(default_factory=lambda: defaultdict(list))
    statuses: dict = field(default_factory=lambda: defaultdict(Counter))
    errors: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, endpoint: str, status: int, seconds: float, expected: int = 200) -> None:
        with self.lock:
            self.seconds[endpoint].append(seconds)
            self.statuses[endpoint][status] += 1
            if status != expected and len(self.errors) < 10:
                self.errors.append(f"{endpoint}: {status}")


class Connection:
    """How one browser's requests reach gunicorn: each on its own connection, as a reverse
    proxy forwards them by default (nginx speaks HTTP/1.0 to its upstream), or over one
    kept-alive connection (``keep_alive``)."""

    keep_alive = False

    def __init__(self, port: int):
        self.port = port
        self.http = None

    def send(self, method: str, path: str, *, cookie: str, body=None, form=False):
        """(status, text, seconds) of one request; a connection the server closed while idle
        is opened again once."""
        headers = {"Host": HOST, "Cookie": cookie}
        if body is not None:
            headers["X-CSRFToken"] = CSRF
            headers["Content-Type"] = (
                "application/x-www-form-urlencoded" if form else "application/json"
            )
            headers["Referer"] = f"http://{HOST}{path}"
        for attempt in (1, 2):
            if self.http is None:
                self.http = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            started = time.perf_counter()
            try:
                self.http.request(method, path, body=body, headers=headers)
                response = self.http.getresponse()
                text = response.read().decode("utf-8", "replace")
            except (http.client.RemoteDisconnected, ConnectionError, BrokenPipeError):
                self.http.close()
                self.http = None
                if attempt == 2:
                    return 599, "", time.perf_counter() - started
                continue
            if not self.keep_alive or response.getheader("Connection", "").lower() == "close":
                self.http.close()
                self.http = None
            return response.status, text, time.perf_counter() - started
        raise AssertionError("unreachable")


def beat_body(learner: Learner, seconds: float) -> str:
    learner.seq += 1
    start = learner.position
    learner.position = start + seconds
    return json.dumps(
        {
            "token": learner.token,
            "session": "launch-day-visit",
            "seq": learner.seq,
            "ranges": [[start, learner.position]],
            "rate": 1,
            "position": learner.position,
        }
    )


def follow(learner: Learner, status: int, text: str) -> None:
    """What the player does with a beat's answer: the first one names the learner's progress
    row in a new token, sent from then on."""
    if status == 200:
        learner.token = json.loads(text).get("token", learner.token)


def prepare(learners: int, trainings: int) -> tuple[list[Learner], dict]:
    """The association, its catalog and webinar, and ``learners`` enrolled learners."""
    from django.urls import reverse

    from courses.services.enrollment import enroll
    from demo.learning import load_demo_webinar
    from demo.scale import learner_email, seed_scale
    from lms.accounts.models import User
    from lms.organizations.models import Facilitator, Organization
    from media_pipeline.models import Recording

    result = seed_scale(learners=learners, records=learners * 10, trainings=trainings,
                        staff=0, prefix="launch")  # fmt: skip

    association = Organization.objects.get(site__hostname=HOST)
    presenter = Facilitator.objects.create(
        organization=association, name="Launch Presenter", credentials="LMSW"
    )
    webinar = load_demo_webinar(organization=association, facilitators=[presenter])
    if webinar is None:
        raise SystemExit("ffmpeg is needed to make the webinar's recording.")
    # An hour-long webinar: the demo clip is seconds long, the accounting reads the duration.
    Recording.objects.filter(owner=association).update(duration=3600.0)
    people = User.objects.filter(
        email__in=[learner_email(result.prefix, n) for n in range(learners)]
    ).order_by("pk")
    crowd = []
    for n, user in enumerate(people):
        enroll(learner=user, training=webinar)
        crowd.append(Learner(cookie=signed_in_cookie(user), takes_post_test=n % 10 == 0))
    quiz_slug = webinar.post_test[0].value["quiz"]

    paths = {
        "catalog": "/catalog/",
        "training page": webinar.get_url_parts()[2],
        "heartbeat": reverse("learning:heartbeat"),
        "post-test page": reverse("learning:quiz", args=[webinar.pk, quiz_slug]),
        "bare": "/bench/bare/",
    }
    return crowd, paths


def post_test(conn: Connection, learner: Learner, path: str, tally: Tally) -> None:
    status, _, seconds = conn.send("GET", path, cookie=learner.cookie)
    tally.add("post-test page", status, seconds)
    form = urlencode({"csrfmiddlewaretoken": CSRF, "action": "start"})
    status, text, seconds = conn.send("POST", path, cookie=learner.cookie, body=form, form=True)
    tally.add("post-test start", status, seconds)
    attempt = ATTEMPT.search(text)
    if attempt is None:
        tally.add("post-test start", 0, 0.0)  # no attempt on the page: counted as an error
        return
    chosen = {}
    for name, value in CHOICE.findall(text):
        chosen.setdefault(name, value)  # the first choice of each question
    form = urlencode({"csrfmiddlewaretoken": CSRF, "action": "submit",
                      "attempt": attempt.group(1), **chosen})  # fmt: skip
    status, _, seconds = conn.send("POST", path, cookie=learner.cookie, body=form, form=True)
    tally.add("post-test submit", status, seconds)


def launch(port: int, crowd: list[Learner], paths: dict, *, seconds: float, ramp: float,
           connections: int) -> tuple[Tally, float]:  # fmt: skip
    """The launch: every learner's visit as scheduled steps, run by ``connections`` threads."""
    rng = random.Random(2026)
    start = time.perf_counter() + 0.5
    end = start + seconds
    order = itertools.count()
    queue = [(start + rng.uniform(0, ramp), next(order), n, "catalog") for n in range(len(crowd))]
    heapq.heapify(queue)
    lock = threading.Lock()
    tally = Tally()
    lateness = []

    def schedule(due, n, step):
        if due < end:
            with lock:
                heapq.heappush(queue, (due, next(order), n, step))

    def run():
        conn = Connection(port)
        while True:
            with lock:
                if not queue:
                    return
                due, _, n, step = heapq.heappop(queue)
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            else:
                lateness.append(-wait)
            learner = crowd[n]
            if step == "catalog":
                status, _, took = conn.send("GET", paths["catalog"], cookie=learner.cookie)
                tally.add("catalog", status, took)
                schedule(time.perf_counter() + rng.uniform(1, 3), n, "training page")
            elif step == "training page":
                status, text, took = conn.send("GET", paths["training page"],
                                               cookie=learner.cookie)  # fmt: skip
                tally.add("training page", status, took)
                token = TOKEN.search(text)
                if token is None:
                    tally.add("training page", 0, 0.0)  # no player on the page: an error
                    continue
                learner.token = token.group(1)
                schedule(time.perf_counter() + BEAT_SECONDS, n, "beat")
            elif step == "beat":
                body = beat_body(learner, BEAT_SECONDS)
                status, text, took = conn.send("POST", paths["heartbeat"],
                                               cookie=learner.cookie, body=body)  # fmt: skip
                tally.add("heartbeat", status, took)
                follow(learner, status, text)
                learner.beats += 1
                if learner.takes_post_test and learner.beats == 3:
                    post_test(conn, learner, paths["post-test page"], tally)
                schedule(due + BEAT_SECONDS, n, "beat")

    threads = [threading.Thread(target=run) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally, max(lateness, default=0.0)


def cpu_seconds(port: int) -> dict[str, float]:
    """CPU time used so far by the server's processes, PostgreSQL's, Redis's and this client
    (Linux /proc; empty elsewhere), to say where each endpoint's cost goes."""
    tick = os.sysconf("SC_CLK_TCK")
    totals: dict[str, float] = defaultdict(float)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (
                (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            )
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == os.getpid():
            group = "client"
        elif "gunicorn" in command and f"127.0.0.1:{port}" in command:
            group = "gunicorn"
        elif command.startswith("postgres"):
            group = "postgres"
        elif command.startswith("redis-server"):
            group = "redis"
        else:
            continue
        totals[group] += (int(fields[11]) + int(fields[12])) / tick
    return totals


def closed_loop(port: int, crowd: list[Learner], paths: dict, endpoint: str, *,
                clients: int, seconds: float) -> dict:  # fmt: skip
    """``clients`` connections sending ``endpoint`` back to back for ``seconds``."""
    stop = time.perf_counter() + seconds
    done = [0] * clients
    failed = [0] * clients

    def run(index):
        conn = Connection(port)
        mine = crowd[index::clients]
        turn = 0
        while time.perf_counter() < stop:
            learner = mine[turn % len(mine)]
            turn += 1
            if endpoint == "heartbeat":
                path, body = paths["heartbeat"], beat_body(learner, 1.0)
            elif endpoint == "bare POST":
                path, body = paths["bare"], beat_body(learner, 0.0)
            else:
                path, body = paths["bare" if endpoint == "bare GET" else endpoint], None
            status, text, _ = conn.send("POST" if body else "GET", path,
                                        cookie=learner.cookie, body=body)  # fmt: skip
            if endpoint == "heartbeat":
                follow(learner, status, text)
            if status == 200:
                done[index] += 1
            else:
                failed[index] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    cpu_before = cpu_seconds(port)
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cpu_after = cpu_seconds(port)
    requests = max(1, sum(done) + sum(failed))
    return {
        "rps": sum(done) / (time.perf_counter() - started),
        "errors": sum(failed),
        "cpu_ms": {
            group: round(1000 * (cpu_after[group] - cpu_before.get(group, 0.0)) / requests, 3)
            for group in cpu_after
        },
    }


def capacity(port, crowd, paths, *, clients: int, seconds: float, rounds: int) -> dict:
    endpoints = ("bare GET", "catalog", "training page", "bare POST", "heartbeat")
    runs = defaultdict(list)
    for endpoint in endpoints:  # warm every path
        closed_loop(port, crowd, paths, endpoint, clients=clients, seconds=0.5)
    for _ in range(rounds):
        for endpoint in endpoints:
            runs[endpoint].append(
                closed_loop(port, crowd, paths, endpoint, clients=clients, seconds=seconds)
            )
    return {
        endpoint: {
            "rps": max(r["rps"] for r in results),
            "rps_median": statistics.median(r["rps"] for r in results),
            "errors": sum(r["errors"] for r in results),
            # CPU per request by process, in the best round.
            "cpu_ms": max(results, key=lambda r: r["rps"])["cpu_ms"],
        }
        for endpoint, results in runs.items()
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the launch")
    parser.add_argument("--ramp", type=float, default=20.0, help="arrivals spread over")
    parser.add_argument("--connections", type=int, default=32, help="during the launch")
    parser.add_argument("--clients", type=int, default=8, help="per capacity measurement")
    parser.add_argument("--capacity-seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=4, help="per gunicorn process")
    parser.add_argument("--trainings", type=int, default=60, help="in the catalog")
    parser.add_argument(
        "--keep-alive",
        action="store_true",
        help="keep each connection open (a browser talking to gunicorn)",
    )
    args = parser.parse_args()
    Connection.keep_alive = args.keep_alive

    database_url = postgres_url()
    if database_url is None:
        raise SystemExit("benchmarks/load.py runs on PostgreSQL: set DATABASE_URL.")
    os.environ["DATABASE_URL"] = database_url
    cache_url = os.environ.get("CACHE_URL") or (LOCAL_REDIS if answers(LOCAL_REDIS) else None)
    load_before = os.getloadavg()
    with benchmark_database(cache_url=cache_url) as env:
        crowd, paths = prepare(args.learners, args.trainings)
        with gunicorn(env, workers=args.workers, threads=args.threads) as port:
            tally, late = launch(port, crowd, paths, seconds=args.seconds, ramp=args.ramp,
                                 connections=args.connections)  # fmt: skip
            rates = capacity(port, crowd, paths, clients=args.clients,
                             seconds=args.capacity_seconds, rounds=args.rounds)  # fmt: skip

    rows = {}
    print(f"\nLaunch: {args.learners} learners, {args.connections} connections, "
          f"{args.seconds:.0f} s; load average before {load_before[0]:.2f}")  # fmt: skip
    print(f"{'endpoint':<18}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p99 ms':>9}")
    for endpoint, values in tally.seconds.items():
        statuses = tally.statuses[endpoint]
        errors = sum(count for status, count in statuses.items() if status != 200)
        rows[endpoint] = {
            "requests": len(values),
            "errors": errors,
            "statuses": dict(statuses),
            "p50_ms": round(1000 * percentile(values, 0.5), 1),
            "p99_ms": round(1000 * percentile(values, 0.99), 1),
        }
        row = rows[endpoint]
        print(f"{endpoint:<18}{row['requests']:>9}{errors:>8}"
              f"{row['p50_ms']:>9.0f}{row['p99_ms']:>9.0f}")  # fmt: skip
    for error in tally.errors:
        print(f"  error: {error}")
    print(f"latest step started {late * 1000:.0f} ms after it was due")
    print(f"\nCapacity: {args.clients} connections in a closed loop, best of {args.rounds}")
    groups = ("gunicorn", "postgres", "redis", "client")
    print(f"{'endpoint':<18}{'requests/s':>11}{'÷ bare':>8}   CPU ms per request: "
          + ", ".join(groups))  # fmt: skip
    ratios = {}
    for endpoint, rate in rates.items():
        bare = rates["bare POST" if endpoint in ("heartbeat", "bare POST") else "bare GET"]["rps"]
        ratios[endpoint] = rate["rps"] / bare if bare else 0.0
        cpu = "  ".join(f"{rate['cpu_ms'].get(g, 0.0):6.2f}" for g in groups)
        print(f"{endpoint:<18}{rate['rps']:>11.1f}{ratios[endpoint]:>8.2f}   {cpu}")

    errors = sum(row["errors"] for row in rows.values()) + sum(
        rate["errors"] for rate in rates.values()
    )
    worst_page = max(rows[page]["p99_ms"] for page in PAGES if page in rows)
    figures = [
        figure("failed requests", errors, target=0, relation="=="),
        figure("heartbeat ÷ bare JSON POST, requests per second", ratios["heartbeat"],
               target=0.8, relation=">="),
        figure("catalog ÷ bare GET, requests per second", ratios["catalog"]),
        figure("training page ÷ bare GET, requests per second", ratios["training page"]),
        figure("slowest page p99 during the launch", worst_page, target=1000, relation="<=",
               unit="ms"),
        figure("heartbeat p99 during the launch", rows["heartbeat"]["p99_ms"], target=1000,
               relation="<=", unit="ms"),
    ]  # fmt: skip
    write(
        "load",
        title="Launch day: 200 learners on one 2-core web machine",
        figures=figures,
        data={
            "arguments": vars(args),
            "cache": "redis" if cache_url else "local memory",
            "load_average_before": load_before,
            "launch": rows,
            "latest_step_ms": round(late * 1000),
            "capacity": {k: {**v, "ratio": round(ratios[k], 3)} for k, v in rates.items()},
        },
    )


if __name__ == "__main__":
    main()
