"""长者模式 (the header's care-mode switch), the print button and tables that fit, in Chromium.

- 长者模式 on: axe-core and the Nu Html Checker find nothing (the DOM as the reader has it, the
  switch pressed); the choice survives a reload and is applied before the body exists (no flash);
  the switch is a real button (aria-pressed, Enter and Space); nothing is asked of another host.
- Without JavaScript both buttons stay hidden and the page reads as before.
- A report page's print button calls window.print(); the printed PDF shows neither button.
- Tables 二、三、四: at 1280 px none scrolls sideways (长者模式: the page does not, a table may
  scroll inside its region); at 375 px the page never scrolls sideways, and a table wider than
  the screen scrolls inside a focusable region named by its caption.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest

CARE_KINDS = ["home", "index-by-year", "agency-directory", "year", "agency", "report-2021", "report-2019",
              "trends", "compliance"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CARE_ON = "try { localStorage.setItem('gk-care', 'on'); } catch (e) {}"
# Records, when <body> is first inserted, whether <html> already had the mode's class.
FIRST_BODY = """
new MutationObserver((records, observer) => {
  if (document.body) {
    window.__gkCareAtBody = document.documentElement.classList.contains('gk-care');
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""
TABLES = """() => ({
  page: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
  tables: [...document.querySelectorAll('article .gk-table-scroll')].map(r => ({
    caption: r.querySelector('caption').textContent.trim(),
    scroll: r.scrollWidth, client: r.clientWidth,
    role: r.getAttribute('role'), tabindex: r.getAttribute('tabindex'),
    label: (document.getElementById(r.getAttribute('aria-labelledby') || '') || {}).textContent || '',
  })),
})"""


def care_context(context_factory, width: int = 1280, **kw):
    ctx = context_factory(width=width, **kw)
    ctx.add_init_script(CARE_ON)
    return ctx


def switch(page):
    return page.locator("button[data-gk-care]")


@pytest.mark.parametrize("kind", CARE_KINDS)
def test_axe_in_care_mode(kind, gk, pages, base_url, context_factory):
    gk.require(gk.AXE_JS.is_file(), f"axe-core ({gk.AXE_JS.relative_to(gk.REPO)})")
    page = gk.open_kind(care_context(context_factory), base_url, pages, kind)
    assert page.evaluate("document.documentElement.classList.contains('gk-care')")
    assert switch(page).get_attribute("aria-pressed") == "true"
    page.add_script_tag(path=str(gk.AXE_JS))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    t = gk.tally("axe-core")
    t.pages.add(f"{kind} (长者模式)")
    t.problems += sum(len(v["nodes"]) for v in result["violations"])
    assert result["passes"], "axe-core ran no rule at all"
    assert not result["violations"], f"axe-core on {kind} in 长者模式:\n" + "\n".join(
        f"{v['id']}: {v['help']} — " + "; ".join(" ".join(map(str, n["target"])) for n in v["nodes"])
        for v in result["violations"])


def test_nu_html_checker_in_care_mode(gk, pages, base_url, context_factory, tmp_path):
    """The DOM in 长者模式 (switch pressed, class set, tools shown), serialised, is valid HTML."""
    gk.require(bool(gk.which("java")), "java (Debian package default-jre-headless)")
    gk.require(gk.VNU_JAR.is_file(), f"vnu.jar ({gk.VNU_JAR.relative_to(gk.REPO)})")
    ctx = care_context(context_factory)
    files = {}
    for kind in CARE_KINDS:
        page = gk.open_kind(ctx, base_url, pages, kind)
        html = page.evaluate("'<!doctype html>\\n' + document.documentElement.outerHTML")
        assert 'class="gk-care' in html or "gk-care" in re.search(r"<html[^>]*>", html).group(0)
        files[kind] = tmp_path / f"{kind}.html"
        files[kind].write_text(html, encoding="utf-8")
        page.close()
    proc = subprocess.run(["java", "-jar", str(gk.VNU_JAR), "--errors-only", "--format", "json",
                           *map(str, files.values())], capture_output=True, text=True, timeout=300)
    report = json.loads(proc.stderr.strip() or proc.stdout.strip())
    errors = [m for m in report.get("messages", []) if m.get("type") == "error" or m.get("subType") == "fatal"]
    t = gk.tally("Nu Html Checker")
    t.pages.update(f"{k} (长者模式)" for k in files)
    t.problems += len(errors)
    assert not errors, "Nu Html Checker in 长者模式:\n" + "\n".join(
        f"{m.get('url', '').rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in errors)


def test_switch_persists_is_pressed_and_keyboard_usable(gk, pages, base_url, context_factory):
    ctx = context_factory()
    ctx.add_init_script(FIRST_BODY)
    page = gk.open_kind(ctx, base_url, pages, "report-2021")
    button = switch(page)
    assert button.is_visible() and button.inner_text() == "长者模式"
    assert button.get_attribute("aria-pressed") == "false"
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('article p')).fontSize)")

    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-pressed") == "true"
    larger = page.evaluate("parseFloat(getComputedStyle(document.querySelector('article p')).fontSize)")
    assert larger >= size * 1.2, f"长者模式: body text {size}px → {larger}px"
    assert page.evaluate("localStorage.getItem('gk-care')") == "on"

    page.reload(wait_until="load")
    assert page.evaluate("window.__gkCareAtBody") is True, "长者模式 applied only after the body was parsed"
    assert switch(page).get_attribute("aria-pressed") == "true"
    # Another page of the site, same reader: still on.
    page.goto(base_url + pages.path("year"), wait_until="load")
    assert page.evaluate("document.documentElement.classList.contains('gk-care')")

    switch(page).focus()
    page.keyboard.press("Space")
    assert switch(page).get_attribute("aria-pressed") == "false"
    assert page.evaluate("localStorage.getItem('gk-care')") is None
    page.reload(wait_until="load")
    assert page.evaluate("window.__gkCareAtBody") is False
    assert not ctx.offsite.urls, f"requests off 127.0.0.1: {ctx.offsite.urls}"


@pytest.mark.parametrize("care", [False, True], ids=["normal", "care"])
def test_no_request_leaves_loopback(care, gk, pages, base_url, context_factory):
    ctx = care_context(context_factory) if care else context_factory()
    for kind in ("home", "report-2021", "report-2019", "trends"):
        page = gk.open_kind(ctx, base_url, pages, kind)
        page.wait_for_load_state("networkidle")
        page.close()
    offsite = [u for u in ctx.requests if not u.startswith(("http://127.0.0.1:", "data:", "about:", "blob:"))]
    assert ctx.requests and not offsite and not ctx.offsite.urls, offsite + ctx.offsite.urls


def test_without_javascript_the_tools_stay_hidden(gk, pages, base_url, context_factory):
    ctx = context_factory(java_script_enabled=False)
    page = gk.open_kind(ctx, base_url, pages, "report-2021")
    assert switch(page).count() == 1 and not switch(page).is_visible()
    assert page.locator("button[data-gk-print]").count() == 1
    assert not page.locator("button[data-gk-print]").is_visible()
    assert page.locator("article table").count() >= 3 and page.locator("footer .gk-site-info").is_visible()


def test_print_button_on_report_pages(gk, pages, base_url, context_factory, artifacts_dir):
    ctx = context_factory()
    ctx.add_init_script("window.__gkPrinted = 0; window.print = () => { window.__gkPrinted += 1; };")
    page = gk.open_kind(ctx, base_url, pages, "report-2019")
    button = page.locator("button[data-gk-print]")
    assert button.is_visible() and button.inner_text() == "打印本页"
    assert button.evaluate("b => b.tagName") == "BUTTON" and button.get_attribute("type") == "button"
    button.click()
    assert page.evaluate("window.__gkPrinted") == 1
    for kind in ("home", "year", "agency"):
        other = gk.open_kind(ctx, base_url, pages, kind)
        assert other.locator("button[data-gk-print]").count() == 0, f"a print button on the {kind} page"

    pdftotext = gk.which("pdftotext")
    gk.require(bool(pdftotext), "pdftotext (Debian package poppler-utils)")
    printed = gk.open_kind(care_context(context_factory), base_url, pages, "report-2021")
    pdf = artifacts_dir / "report-2021-care.pdf"
    pdf.write_bytes(printed.pdf(format="A4", print_background=True))
    text = re.sub(r"\s+", "", subprocess.run([pdftotext, "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                                             text=True, check=True, timeout=60).stdout)
    assert "打印本页" not in text and "长者模式" not in text
    assert "网站标识码" not in text, "the site footer is printed"
    gk.tally("print").pages.add("report-2021 (长者模式)")


@pytest.mark.parametrize("care", [False, True], ids=["normal", "care"])
@pytest.mark.parametrize("width", [1280, 375])
def test_tables_fit(width, care, gk, pages, base_url, context_factory, artifacts_dir):
    ctx = care_context(context_factory, width=width) if care else context_factory(width=width)
    for kind in ("report-2021", "report-2019"):
        page = gk.open_kind(ctx, base_url, pages, kind)
        found = page.evaluate(TABLES)
        scroll, client = found["page"]
        assert scroll <= client, f"{kind} at {width}px{' (长者模式)' if care else ''}: the page scrolls sideways"
        tables = found["tables"]
        assert {t["caption"][:2] for t in tables} >= {"二、", "三、", "四、"}, tables
        for t in tables:
            assert t["role"] == "region" and t["tabindex"] == "0" and t["label"].strip() == t["caption"], t
            if width == 1280 and not care:
                assert t["scroll"] <= t["client"], f"{kind}: table {t['caption']} scrolls at 1280px: {t}"
        if kind == "report-2021":
            page.screenshot(path=str(artifacts_dir / f"tables-{width}{'-care' if care else ''}.png"), full_page=True)
    gk.tally("tables that fit").pages.add(f"{width}px{' 长者模式' if care else ''}")
