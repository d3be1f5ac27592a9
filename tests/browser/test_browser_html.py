"""Valid HTML: the Nu Html Checker (vnu.jar) finds no error in the examined pages' HTML files.

ALLOWED lists the only messages let through: each is about Material for MkDocs' own theme
markup, matched by its exact message AND the markup it points at, with the reason. Whatever
it lets through is printed in the summary ("allowed: ..."); every other error fails.
"""

import json
import re
import subprocess
from collections import Counter

import pytest

# Messages let through, each with its exact message, the markup it points at, and the reason.
# Empty: Material's autocomplete="off" on its toggle checkboxes is removed by the plugin
# (mkdocs_plugin.internals.drop_checkbox_autocomplete), so no theme message needs allowing.
ALLOWED: list[tuple[re.Pattern[str], re.Pattern[str], str]] = []


def allowed_reason(msg) -> str | None:
    for message_re, extract_re, reason in ALLOWED:
        if message_re.search(msg.get("message", "")) and extract_re.search(msg.get("extract", "")):
            return reason
    return None


@pytest.fixture(scope="session")
def vnu_messages(gk, pages):
    return run_vnu(gk, sorted({str(p) for p in pages.files.values()}))


@pytest.fixture(scope="session")
def paged_vnu_messages(gk, paged_site):
    return run_vnu(gk, sorted(str(p) for p in paged_site[1].values()))


def run_vnu(gk, files):
    """vnu.jar's messages on ``files``, by file."""
    gk.require(bool(gk.which("java")), "java (Debian package default-jre-headless)")
    gk.require(gk.VNU_JAR.is_file(), f"vnu.jar ({gk.VNU_JAR.relative_to(gk.REPO)})")
    proc = subprocess.run(
        ["java", "-jar", str(gk.VNU_JAR), "--errors-only", "--format", "json", *files],
        capture_output=True, text=True, timeout=300,
    )
    out = proc.stderr.strip() or proc.stdout.strip()  # vnu writes its JSON report to stderr
    try:
        report = json.loads(out)
    except json.JSONDecodeError:
        pytest.fail(f"vnu.jar gave no JSON (exit {proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    by_file: dict[str, list] = {f: [] for f in files}
    for m in report.get("messages", []):
        path = re.sub(r"^file:", "", m.get("url", ""))
        by_file.setdefault(path, []).append(m)
    # Non-file messages (e.g. an I/O problem) are errors of the run itself.
    stray = [m for f, ms in by_file.items() if f not in files for m in ms]
    assert not stray, f"vnu.jar reported problems outside the examined files: {stray}"
    return by_file


# "search" is the home page's HTML file with results drawn by script: checked as "home".
@pytest.mark.parametrize("kind", ["home", "index-by-year", "agency-directory", "year", "agency", "report-2021",
                                  "report-2019", "data-download", "trends", "totals", "totals-group", "compliance",
                                  "compliance-group"])
def test_nu_html_checker(kind, gk, pages, vnu_messages):
    check_nu(gk, kind, str(pages.files[kind]), pages.path(kind), vnu_messages)


def test_nu_html_checker_on_numbered_open_data_pages(paged_kind, gk, paged_site, paged_vnu_messages):
    site, files = paged_site
    check_nu(gk, paged_kind, str(files[paged_kind]), files[paged_kind].relative_to(site).as_posix(), paged_vnu_messages)


def check_nu(gk, kind, path, url, vnu_messages):
    errors, allowed = [], Counter()
    for m in vnu_messages[path]:
        if m.get("type") not in ("error", "non-document-error") and m.get("subType") != "fatal":
            continue
        reason = allowed_reason(m)
        if reason:
            allowed[reason] += 1
        else:
            errors.append(m)
    t = gk.tally("Nu Html Checker")
    t.pages.add(kind)
    t.problems += len(errors)
    for reason, n in allowed.items():
        t.allowed.append(f"{n} × {reason}")
    lines = [f"{url}:{m.get('lastLine', '?')}:{m.get('firstColumn', '?')}: {m['message']}\n"
             f"      {m.get('extract', '').strip()[:200]!r}" for m in errors]
    assert not errors, f"Nu Html Checker: {len(errors)} errors in {kind}:\n  " + "\n  ".join(lines)
