"""Look: screenshots of a report page at 1280 px and 375 px (saved in tests/artifacts/, which
git ignores); at 375 px no table widens the page — each scrolls inside its own container."""

import pytest

TABLE_SCROLL = """() => [...document.querySelectorAll('.gk-table-scroll')].map(el => {
  const t = el.querySelector('table');
  const cap = t && t.caption ? t.caption.textContent.trim() : '';
  const cs = getComputedStyle(el);
  return {caption: cap, scrollWidth: el.scrollWidth, clientWidth: el.clientWidth,
          overflowX: cs.overflowX, right: el.getBoundingClientRect().right};
})"""

WIDEST = """() => [...document.querySelectorAll('body *')]
  .map(el => ({el, r: el.getBoundingClientRect()}))
  .filter(({r}) => r.right > window.innerWidth + 0.5 && r.width > 0)
  .slice(0, 8)
  .map(({el, r}) => `${el.tagName.toLowerCase()}.${String(el.className).replace(/\\s+/g, '.')} right=${Math.round(r.right)}`)"""


@pytest.mark.parametrize("width", [1280, 375])
def test_report_page_look(width, gk, pages, base_url, context_factory, artifacts_dir):
    ctx = context_factory(width=width, height=900 if width > 600 else 812)
    page = gk.open_kind(ctx, base_url, pages, "report-2021")
    shot = artifacts_dir / f"report-2021-{width}px.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 0
    gk.tally("look").pages.add(f"report-2021@{width}")

    sizes = page.evaluate("() => ({scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth})")
    scrollers = page.evaluate(TABLE_SCROLL)
    assert len(scrollers) >= 3, f"expected a .gk-table-scroll container around each of the three tables: {scrollers}"
    for s in scrollers:
        assert s["overflowX"] in ("auto", "scroll"), f"table container {s['caption']!r} has overflow-x {s['overflowX']}"
    if width == 375:
        assert sizes["scrollWidth"] <= sizes["innerWidth"], (
            f"at 375 px the page is {sizes['scrollWidth']} px wide; wider than the window: {page.evaluate(WIDEST)}")
        third = [s for s in scrollers if s["caption"].startswith("三")] or [scrollers[2]]
        s = third[0]
        assert s["scrollWidth"] > s["clientWidth"], (
            f"table 三 {s['caption']!r} should scroll inside its container at 375 px: {s}")


GAP_CELL = """() => {
  let cell = document.querySelector('.gk-chart-table td.gk-gap');
  if (!cell) {  // the sample publishes every figure: a row as chart.html writes a figure published blank
    const row = document.createElement('tr');
    row.innerHTML = '<th scope="row">2018年度</th><td class="gk-gap">未填报</td>';
    document.querySelector('.gk-chart-table tbody').appendChild(row);
    cell = row.querySelector('td');
  }
  const cs = getComputedStyle(cell);
  return {fontStyle: cs.fontStyle, outline: cs.outlineStyle, outlineWidth: parseFloat(cs.outlineWidth),
          hatch: cs.backgroundImage, color: cs.color};
}"""


def test_a_gap_in_a_chart_table_is_marked_not_by_colour_alone(gk, pages, base_url, context_factory):
    """A figure missing from a chart (未填报) is a hatched, dashed-bordered, italic cell; printed, the border stays."""
    page = gk.open_kind(context_factory(), base_url, pages, "trends")
    screen = page.evaluate(GAP_CELL)
    assert screen["fontStyle"] == "italic" and screen["outline"] == "dashed" and screen["outlineWidth"] >= 1, screen
    assert "repeating-linear-gradient" in screen["hatch"], screen
    page.emulate_media(media="print")
    printed = page.evaluate(GAP_CELL)
    assert printed["outline"] == "dashed" and printed["hatch"] == "none" and printed["fontStyle"] == "italic", printed
    gk.tally("look").pages.add("trends: a gap")
