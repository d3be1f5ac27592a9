"""Keyboard: Tab reaches every link and the header's search box, the first Tab lands on Material's skip
link ("跳转至") to the content, and every focused element shows a visible focus indicator.

A focus indicator is a computed outline or box-shadow that is not none, or a background or
border (of the element or its parent) that differs from its unfocused look (Material's
search form turns white).
A change of text colour alone does not count."""

import pytest

KINDS = ["home", "index-by-year", "agency-directory", "year", "agency", "report-2021", "report-2019",
         "data-download", "compliance", "compliance-group"]

MARK_CANDIDATES = """() => {
  const visible = el => el.checkVisibility({checkVisibilityCSS: true})
      && !el.closest('[inert], [aria-hidden="true"]') && el.tabIndex >= 0;
  const els = [...document.querySelectorAll('a[href], input#gk-search-input')].filter(visible);
  // Unfocused look, to tell a focus indicator that changes the background or border
  // (Material's search box turns white when focused) from no indicator at all.
  // The look of the element and its parent: Material paints the search form around the box.
  const look = el => [el, el.parentElement].map(e => { const cs = getComputedStyle(e);
    // A border counts only where one is drawn (border-color follows the text colour).
    const border = ['Top', 'Right', 'Bottom', 'Left'].map(side =>
      cs[`border${side}Style`] !== 'none' && parseFloat(cs[`border${side}Width`]) > 0
        ? `${cs[`border${side}Width`]} ${cs[`border${side}Color`]}` : '-').join(',');
    return `${cs.backgroundColor}|${border}|${cs.boxShadow}`; }).join('/');
  window.__gkLookOf = look;
  window.__gkLook = new Map();
  els.forEach((el, i) => {
    el.setAttribute('data-gk-kbd', String(i));
    const cs = getComputedStyle(el);
    window.__gkLook.set(el, look(el));
  });
  return els.map(el => ({
    tag: el.tagName.toLowerCase(),
    text: (el.getAttribute('aria-label') || el.textContent || el.getAttribute('placeholder') || '')
      .trim().replace(/\\s+/g, ' ').slice(0, 60),
    href: el.getAttribute('href'),
    cls: el.className,
  }));
}"""

ACTIVE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const cs = getComputedStyle(el);
  const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0
      && cs.outlineColor !== 'transparent' && !/rgba\\([^)]*,\\s*0\\)/.test(cs.outlineColor);
  const shadow = cs.boxShadow && cs.boxShadow !== 'none';
  const before = window.__gkLook && window.__gkLook.get(el);
  const restyled = !!before && before !== window.__gkLookOf(el);
  return {
    idx: el.getAttribute('data-gk-kbd'),
    tag: el.tagName.toLowerCase(),
    cls: String(el.className || ''),
    text: (el.getAttribute('aria-label') || el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60),
    href: el.getAttribute('href'),
    indicator: outline || shadow || restyled,
    outline: `${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}`,
    shadow: cs.boxShadow,
  };
}"""


def describe(d) -> str:
    return f"<{d['tag']} class='{d['cls']}' href='{d.get('href')}'> {d['text']!r}"


@pytest.mark.parametrize("kind", KINDS)
def test_tab_reaches_everything(kind, gk, pages, base_url, context_factory):
    page = gk.open_kind(context_factory(), base_url, pages, kind)
    candidates = page.evaluate(MARK_CANDIDATES)
    assert candidates, f"no visible links on {kind}"

    page.keyboard.press("Tab")
    first = page.evaluate(ACTIVE)
    assert first is not None, f"{kind}: the first Tab focused nothing"
    assert "md-skip" in first["cls"] and first["text"].startswith("跳转至"), (
        f"{kind}: the first Tab should land on Material's skip link '跳转至', got {describe(first)}")
    target = (first["href"] or "").lstrip("#")
    assert target and page.evaluate(
        "id => { const t = document.getElementById(id); return !!t && !!t.closest('.md-content, main'); }", target
    ), f"{kind}: the skip link's target #{target} is not in the content"

    reached: dict[str, dict] = {}
    no_indicator: list[str] = []
    seen_focus = [first]
    for _ in range(len(candidates) * 2 + 100):
        active = seen_focus[-1]
        if active is not None:
            if not active["indicator"]:
                no_indicator.append(f"{describe(active)} (outline: {active['outline']}; box-shadow: {active['shadow']})")
            if active["idx"] is not None:
                reached.setdefault(active["idx"], active)
        page.keyboard.press("Tab")
        nxt = page.evaluate(ACTIVE)
        if nxt is not None and not nxt["indicator"]:
            page.wait_for_timeout(400)  # let a CSS transition of the focus style finish
            nxt = page.evaluate(ACTIVE)
        if nxt is not None and nxt["idx"] == first["idx"]:
            break  # wrapped around to the skip link
        seen_focus.append(nxt)
        if len(seen_focus) > 2 and seen_focus[-1] is None and seen_focus[-2] is None:
            break  # left the page (browser chrome) and stayed out

    missing = [describe(c | {"idx": str(i)}) for i, c in enumerate(candidates) if str(i) not in reached]
    t = gk.tally("keyboard")
    t.pages.add(kind)
    t.problems += len(missing) + len(set(no_indicator))
    search_idx = [str(i) for i, c in enumerate(candidates) if c["tag"] == "input"]
    assert search_idx, f"{kind}: the header's search box is not visible/focusable"
    assert search_idx[0] in reached, f"{kind}: Tab never reached the search box"
    assert not missing, f"{kind}: Tab never reached {len(missing)} of {len(candidates)} links:\n  " + "\n  ".join(missing)
    assert not no_indicator, (f"{kind}: focused elements without a visible focus indicator:\n  "
                              + "\n  ".join(dict.fromkeys(no_indicator)))


@pytest.mark.parametrize("kind", ["home", "report-2021"])
def test_skip_link_moves_focus_to_content(kind, gk, pages, base_url, context_factory):
    """Enter on the skip link moves the keyboard past the header and nav: the next Tab
    focuses something inside the content, not the header's logo or the search box."""
    page = gk.open_kind(context_factory(), base_url, pages, kind)
    has_focusable = page.evaluate("""() => [...document.querySelectorAll(
        '.md-content a[href], .md-content [tabindex="0"], .md-content button, .md-content input')]
        .some(el => el.checkVisibility())""")
    assert has_focusable, f"{kind} has nothing focusable in its content: the skip link would lead nowhere"
    page.keyboard.press("Tab")
    assert "md-skip" in (page.evaluate("() => document.activeElement.className") or "")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    where = page.evaluate("""() => { const el = document.activeElement;
        return {inContent: !!el.closest('.md-content'), el: el.outerHTML.slice(0, 160)}; }""")
    assert where["inContent"], f"{kind}: after the skip link, Tab went to {where['el']} instead of the content"
