"""Build ``docs/benchmarks.md`` from ``benchmarks/results/*.json`` and print the table of
targets. ``make bench`` runs it last; results older than ``--since`` (the start of this
``make bench``) are kept, marked with the date of the run that wrote them.

    .venv/bin/python benchmarks/summary.py [--since EPOCH] [--output docs/benchmarks.md]
"""

import argparse
import datetime
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._report import RESULTS, ROOT, machine

VERDICT = {True: "met", False: "NOT MET", None: "(no target)"}


def load(folder: Path) -> list[dict]:
    documents = []
    for path in sorted(folder.glob("*.json")):
        document = json.loads(path.read_text())
        if "figures" in document:
            documents.append(document)
    return documents


def _value(item: dict) -> str:
    value = item["value"]
    text = f"{value:.3g}" if isinstance(value, float) and abs(value) < 1000 else f"{value}"
    return f"{text} {item['unit']}".strip()


def rows(documents: list[dict]) -> list[tuple[str, str, str, str]]:
    return [
        (f"{doc['benchmark']}: {item['name']}", _value(item), item["target"], VERDICT[item["met"]])
        for doc in documents
        for item in doc["figures"]
    ]


def table(documents: list[dict]) -> str:
    lines = rows(documents)
    if not lines:
        return "No results."
    widths = [max(len(row[i]) for row in lines) for i in range(4)]
    header = ("figure", "value", "target", "")
    widths = [max(w, len(h)) for w, h in zip(widths, header, strict=True)]
    out = [
        "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)),
        "  ".join("-" * w for w in widths),
    ]
    out += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in lines]
    return "\n".join(line.rstrip() for line in out)


def _cell(text) -> str:
    return str(text).replace("|", "\\|")


def markdown(documents: list[dict], *, since: float | None) -> str:
    here = machine()
    now = datetime.datetime.now(datetime.UTC)
    met = sum(1 for doc in documents for f in doc["figures"] if f["met"] is True)
    missed = sum(1 for doc in documents for f in doc["figures"] if f["met"] is False)
    out = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`benchmarks/summary.py`) from `benchmarks/results/*.json`; "
        "do not edit by hand. Every figure is a ratio of two things measured side by side in "
        "the same run, or a count (queries, bytes): absolute times are shown only beside the "
        "ratio they make, never compared across runs. The machine is shared with other work, "
        "which slows both sides of a ratio alike but makes single timings noisy.",
        "",
        f"- Date: {now:%Y-%m-%d %H:%M} UTC",
        f"- Machine: {here['cpus']} CPU cores, {here['memory_gib']} GiB memory, "
        f"{here['system']}, Python {here['python']}",
        f"- Targets: {met} met, {missed} not met",
        f"- Load average at the end: {', '.join(f'{x:.2f}' for x in here['load_average'])} "
        f"({here['cpus']} cores; above that, other work was waiting for a core)",
    ]
    if since is not None:
        started = datetime.datetime.fromtimestamp(since, datetime.UTC)
        out.append(
            f"- This run: started {started:%H:%M} UTC, summary written "
            f"{(now - started).total_seconds() / 60:.0f} min later"
        )
    out += [
        "",
        "## Summary",
        "",
        "| Figure | Value | Target | |",
        "|---|---|---|---|",
    ]
    out += [f"| {' | '.join(_cell(c) for c in row)} |" for row in rows(documents)]
    for doc in documents:
        written = datetime.datetime.fromisoformat(doc["written_at"])
        out += ["", f"## {doc['title']}", ""]
        stale = since is not None and written.timestamp() < since
        load_average = ", ".join(f"{x:.2f}" for x in doc["machine"]["load_average"])
        out.append(
            f"`benchmarks/{doc['script']}` · written {written:%Y-%m-%d %H:%M} "
            f"UTC{' (an earlier run)' if stale else ''} · load average {load_average} "
            "at the end"
        )
        out += ["", "| Figure | Value | Target | |", "|---|---|---|---|"]
        out += [
            f"| {_cell(f['name'])} | {_cell(_value(f))} | {_cell(f['target'])} "
            f"| {VERDICT[f['met']]} |"
            for f in doc["figures"]
        ]
        for note in doc["data"].get("notes", []):
            out += ["", note]
    return "\n".join(out) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--since", type=float, help="the start of this run (seconds since 1970)")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args(argv)
    documents = load(args.results)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(markdown(documents, since=args.since))
    print(table(documents))
    print(f"\nWrote {args.output}")


if __name__ == "__main__":
    main()
