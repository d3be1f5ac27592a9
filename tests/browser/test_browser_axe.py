"""axe-core (WCAG 2.0/2.1 A and AA rules) on every page kind: zero violations."""

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def format_violations(violations) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            target = " > ".join(" ".join(t) if isinstance(t, list) else t for t in node["target"])
            lines.append(f"    {target}")
            summary = (node.get("failureSummary") or "").replace("\n", " ").strip()
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def test_axe_no_violations(kind, gk, pages, base_url, context_factory):
    gk.require(gk.AXE_JS.is_file(), f"axe-core ({gk.AXE_JS.relative_to(gk.REPO)})")
    page = gk.open_kind(context_factory(), base_url, pages, kind)
    run_axe(gk, page, kind)


def test_axe_on_numbered_open_data_pages(paged_kind, gk, paged_site, paged_url, context_factory):
    """Open data's pages of a portal too large for one page each (conftest.OPEN_DATA_PAGED)."""
    gk.require(gk.AXE_JS.is_file(), f"axe-core ({gk.AXE_JS.relative_to(gk.REPO)})")
    site, files = paged_site
    page = context_factory().new_page()
    page.goto(paged_url + files[paged_kind].parent.relative_to(site).as_posix() + "/", wait_until="load")
    assert page.locator('nav[aria-label="分页"] [aria-current="page"]').count() == 1
    run_axe(gk, page, paged_kind)


def run_axe(gk, page, kind):
    page.add_script_tag(path=str(gk.AXE_JS))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    violations = result["violations"]
    t = gk.tally("axe-core")
    t.pages.add(kind)
    t.problems += sum(len(v["nodes"]) for v in violations)
    assert result["passes"], "axe-core ran no rule at all"
    assert not violations, f"axe-core on {kind} ({page.url}):\n" + format_violations(violations)
