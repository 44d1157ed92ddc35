"""axe-core (installed from npm by `make test`) run inside the page under test.

``serious_violations(page)`` injects axe once per document and returns the serious and
critical violations as short lines (rule, what it asks, where), ready for an assertion
message; the full results are saved beside the screenshots."""

import json

from tests.conftest import ARTIFACTS, ROOT

AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


SETTLED = """() => Promise.race([
    Promise.all(document.getAnimations()
        .filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
        .map((a) => a.finished.catch(() => null))),
    new Promise((resolve) => setTimeout(resolve, 3000)),
])"""


def axe_results(page, *, name: str) -> dict:
    """Run axe on the whole document; keep the raw results as test-artifacts/axe/<name>.json."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    # Colours are read as they are now: let finite animations (a message fading in) end
    # first, or a busy machine catches them half way.
    page.evaluate(SETTLED)
    results = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations'], "
        "runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', "
        "'best-practice']}})"
    )
    folder = ARTIFACTS / "axe"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps(results["violations"], indent=1))
    return results


def serious_violations(page, *, name: str) -> list[str]:
    """One line per serious or critical violation: '<page>: <rule> (<impact>): <help> at
    <first elements>'."""
    lines = []
    for violation in axe_results(page, name=name)["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        where = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
        more = len(violation["nodes"]) - 3
        lines.append(
            f"{name}: {violation['id']} ({violation['impact']}): {violation['help']} at {where}"
            + (f" and {more} more" if more > 0 else "")
        )
    return lines
