"""What every benchmark writes: ``benchmarks/results/<name>.json`` with the machine, the time
of the run, and its figures, each with its target and whether this run met it.

A figure is a ratio measured side by side in the same run, or a count (queries, bytes): never
an absolute time compared with another run's. ``benchmarks/summary.py`` turns the files into
``docs/benchmarks.md`` and the table ``make bench`` prints at the end.
"""

import datetime
import json
import os
import platform
import socket
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/attune_bench"


def machine() -> dict:
    """Cores, memory and load of this machine, as the summary reports them."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {
        "cpus": os.cpu_count() or 1,
        "memory_gib": round(memory / 2**30, 1),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def figure(name: str, value, *, target=None, relation: str = "", unit: str = "") -> dict:
    """One measured figure; with a target, ``relation`` is how the value must compare to it:
    one of ``>=``, ``>``, ``<=``, ``<``, ``==``."""
    met = None
    if target is not None:
        met = {
            ">=": value >= target,
            ">": value > target,
            "<=": value <= target,
            "<": value < target,
            "==": value == target,
        }[relation]
    return {
        "name": name,
        "value": round(value, 4) if isinstance(value, float) else value,
        "unit": unit,
        "target": f"{relation} {target}" if target is not None else "",
        "met": met,
    }


def write(name: str, *, title: str, figures: list[dict], data: dict) -> Path:
    """Write ``results/<name>.json``; returns its path."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    document = {
        "benchmark": name,
        "script": Path(sys.argv[0]).name,
        "title": title,
        "written_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "figures": figures,
        "data": data,
    }
    path.write_text(json.dumps(document, indent=2, default=str) + "\n")
    print(f"Wrote {path.relative_to(ROOT)}")
    return path


def postgres_url() -> str | None:
    """``DATABASE_URL`` when it names PostgreSQL, else the local server at 127.0.0.1:5432 if
    it answers, else None (the caller says that PostgreSQL figures were not measured)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url
    parts = urlsplit(LOCAL_POSTGRES)
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=2).close()
    except OSError:
        return None
    return LOCAL_POSTGRES


def setup_django(*, postgres: bool = False) -> str | None:
    """Django with the test settings, on PostgreSQL if asked and one is found
    (``postgres_url``); returns the PostgreSQL URL in use, or None."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
    url = postgres_url() if postgres else None
    if url:
        os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    return url
