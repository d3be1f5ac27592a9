"""Government-site conventions in a built portal: the footer's identifiers (plugins.gongkai.site_info),
each page's own description, report dates in sitemap.xml, the Atom feed, the reader tools."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from mkdocs.utils import get_build_date

from gongkai.collection import load_portal
from gongkai.indexing import build_index

from .conftest import REPO, Portal, make_portal, parse_html, seed_text, variant

ATOM = "{http://www.w3.org/2005/Atom}"
SCHEMA = Path(__file__).parent / "schemas" / "atom.rng"
BLOCK = re.compile(r"(?ms)^      site_info:.*?(?=^\S)")


def configure(portal: Portal, site_info: dict | None = None, **options: object) -> None:
    """The sample mkdocs.yml with other footer values (None: none at all) and gongkai options."""
    path = portal.root / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    block = f"      site_info: {json.dumps(site_info, ensure_ascii=False)}\n" if site_info is not None else ""
    for key, value in options.items():
        block += f"      {key}: {json.dumps(value, ensure_ascii=False)}\n"
    text, n = BLOCK.subn(block + "\n", text)
    assert n == 1, "the sample mkdocs.yml has no site_info block any more"
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def small(tmp_path: Path) -> Portal:
    """The sample configuration with two reports of one agency (2023's published 2024-01-19)."""
    portal = make_portal(tmp_path / "portal", copy_reports=False)
    for year in (2023, 2024):
        portal.write_report(f"shifan-zhen/{year}.yml", (REPO / "reports" / "shifan-zhen" / f"{year}.yml").read_text("utf-8"))
    return portal


def footer(portal: Portal, url: str = "reports/shifan-zhen/2024/") -> str:
    html = portal.page_path(url).read_text(encoding="utf-8")
    return html[html.index('<footer class="md-footer">'):html.index("</footer>")]


# --- the footer -------------------------------------------------------------------------------


def test_sample_footer_on_every_page(sample_site: Portal) -> None:
    for url in ("", "reports/", "reports/2024/", "reports/shifan-zhen/", "reports/shifan-zhen/2024/",
                "reports/open_data/"):
        page = sample_site.page(url)
        info = page.find("footer").find(class_="gk-site-info")
        text = re.sub(r"\s+", "", info.text)
        assert "主办单位：示例区人民政府办公室" in text and "网站标识码：0000000000" in text, url
        links = {a.attrs["href"] for a in info.find_all("a")}
        assert "https://beian.miit.gov.cn/" in links
        assert "https://beian.mps.gov.cn/#/query/webSearch?code=00000000000000" in links
        assert "mailto:gongkai@example.gov.cn" in links
        badge = info.find("img", alt="党政机关网站标识")
        image = sample_site.resolve(url, badge.attrs["src"])
        assert image.is_file() and image.suffix == ".svg", f"{url}: the badge {badge.attrs['src']} is not in the site"
        # No landmark inside the page's one <footer>.
        assert not info.find_all("footer") and not info.find_all("nav")


def test_nothing_configured_writes_no_footer_lines(small: Portal) -> None:
    configure(small, None)
    assert small.build("--strict").returncode == 0
    assert "gk-site-info" not in footer(small)
    assert "<p>" not in footer(small) and "<address>" not in footer(small)


def test_only_what_is_configured_is_written(small: Portal) -> None:
    configure(small, {"organiser": "示例县人民政府办公室", "site_code": "bm55000001"})
    assert small.build("--strict").returncode == 0
    info = parse_html(footer(small)).find(class_="gk-site-info")
    text = re.sub(r"\s+", "", info.text)
    assert text == "主办单位：示例县人民政府办公室网站标识码：bm55000001"
    assert not info.find_all("address") and not info.find_all("img") and not info.find_all("a")


def test_hostile_text_is_escaped(small: Portal) -> None:
    nasty = "示例\"单位' onmouseover=alert(1) A & B"
    configure(small, {"organiser": nasty, "undertaker": nasty, "address": nasty, "phone": nasty,
                      "conac_url": "https://bszs.conac.cn/sitename?method=show&id=1\"onclick"})
    result = small.build("--strict")
    # A quote in a link's address is refused; quotes in text are printed as text.
    assert result.returncode == 1 and "[site-info-link]" in result.stderr
    configure(small, {"organiser": nasty, "undertaker": nasty, "address": nasty, "phone": nasty})
    assert small.build("--strict").returncode == 0
    raw = footer(small)
    assert raw.count("示例&#34;单位&#39; onmouseover=alert(1) A &amp; B") == 4
    assert "单位\"" not in raw and "单位'" not in raw
    info = parse_html(raw).find(class_="gk-site-info")
    assert nasty in info.text
    assert all("onmouseover" not in attrs for node in info.iter() for attrs in node.attrs)


@pytest.mark.parametrize(("option", "value", "rule"), [
    ("organiser", "<script>alert(1)</script>", "name-markup"),
    ("undertaker", "示例<b>局</b>", "name-markup"),
    ("address", "人民路&#49;号", "name-markup"),
    ("phone", "<img src=x onerror=alert(1)>", "name-markup"),
    ("email", "\"><script>alert(1)</script>@example.gov.cn", "site-info-email"),
    ("site_code", "<script>", "site-info-code"),
    ("icp", "京ICP备12345678号\"><script>", "site-info-icp"),
    ("police", "javascript:alert(1)", "site-info-police"),
    ("conac_url", "javascript:alert(1)", "site-info-link"),
    ("conac_url", "JaVaScRiPt:alert(1)", "site-info-link"),
    ("conac_badge", "https://dcs.conac.cn/image/red.png", "site-info-remote-image"),
    ("conac_badge", "//dcs.conac.cn/image/red.png", "site-info-remote-image"),
    ("police_icon", "javascript:alert(1)", "site-info-remote-image"),
    ("police_icon", "../mkdocs.yml", "site-info-image-missing"),
])
def test_hostile_options_are_refused_with_a_located_message(small: Portal, option: str, value: str,
                                                            rule: str) -> None:
    small.build("--strict")
    before = small.snapshot()
    configure(small, {"organiser": "示例县人民政府办公室", option: value})
    result = small.build("--strict")
    assert result.returncode == 1
    assert f"[{rule}]" in result.stderr and "plugins.gongkai.site_info" in result.stderr
    assert "Traceback" not in result.stderr
    assert small.snapshot() == before, "a refused option left the last site as it was"


def test_finding_names_the_line_of_mkdocs_yml(small: Portal) -> None:
    path = small.root / "mkdocs.yml"
    text = path.read_text(encoding="utf-8").replace("conac_badge: assets/site-info/dangzheng-sample.svg",
                                                    "conac_badge: https://dcs.conac.cn/image/red.png")
    path.write_text(text, encoding="utf-8")
    line = next(n for n, s in enumerate(text.splitlines(), 1) if "conac_badge: https://" in s)
    result = small.build()
    assert result.returncode == 1
    assert f"mkdocs.yml:{line}:9: 错误 [site-info-remote-image] 党政机关网站标识：图片不能写网址" in result.stderr


# --- descriptions -----------------------------------------------------------------------------


def description(portal: Portal, url: str) -> str:
    metas = portal.page(url).find_all("meta", name="description")
    assert len(metas) == 1, url
    return metas[0].attrs["content"]


def test_each_page_has_its_own_description(sample_site: Portal) -> None:
    urls = ["reports/", "reports/agencies/", "reports/2024/", "reports/2023/", "reports/shifan-zhen/",
            "reports/shifan-qu/", "reports/shifan-zhen/2024/", "reports/shifan-qu/2024/", "reports/shifan-qu/2019/"]
    found = {url: description(sample_site, url) for url in urls}
    assert len(set(found.values())) == len(urls), found
    assert found["reports/shifan-zhen/2024/"] == ("示例镇人民政府2024年政府信息公开工作年度报告，2025年1月20日发布："
                                                  "本年新收政府信息公开申请9件，予以公开8件。")
    assert found["reports/2023/"] == "2023年度政府信息公开工作年度报告：共3份，其中1份逾期发布。"
    assert "2024、2023、2022年度" in found["reports/shifan-zhen/"]
    # Hand-written pages keep the site's description.
    site_description = yaml.safe_load(re.sub(r"!!python\S+", "", (REPO / "mkdocs.yml").read_text("utf-8")))
    assert description(sample_site, "") == site_description["site_description"]


def test_description_is_escaped(small: Portal) -> None:
    (small.reports / "shifan-zhen" / "2023.yml").unlink()
    text = re.sub(r"(?m)^  name: .*$", "  name: '示例\"镇''人民政府'", seed_text(), count=1)
    small.write_report("shifan-zhen/2024.yml", text)
    assert small.build().returncode == 0
    raw = small.page_path("reports/shifan-zhen/2024/").read_text(encoding="utf-8")
    assert '<meta name="description" content="示例&#34;镇&#39;人民政府2024年' in raw
    assert description(small, "reports/shifan-zhen/2024/").startswith('示例"镇\'人民政府2024年')


# --- sitemap.xml ------------------------------------------------------------------------------


def test_sitemap_lastmod_is_the_report_date(small: Portal) -> None:
    """Also the guard of ``internals.set_lastmod``: MkDocs' sitemap prints ``Page.update_date``."""
    small.set_config(site_url="https://gongkai.example.gov.cn/")
    assert small.build("--strict").returncode == 0
    sitemap = (small.site / "sitemap.xml").read_text(encoding="utf-8")
    lastmod = dict(re.findall(r"<loc>https://gongkai\.example\.gov\.cn/(.*?)</loc>\s*<lastmod>(.*?)</lastmod>",
                              sitemap))
    assert lastmod["reports/shifan-zhen/2024/"] == "2025-01-20"
    assert lastmod["reports/shifan-zhen/2023/"] == "2024-01-19"
    # Every other page keeps MkDocs' own lastmod: the build date.
    assert lastmod[""] == lastmod["reports/"] == lastmod["reports/shifan-zhen/"] == get_build_date()


# --- the Atom feed ----------------------------------------------------------------------------


def atom_schema():  # type: ignore[no-untyped-def]
    etree = pytest.importorskip("lxml.etree")
    return etree, etree.RelaxNG(etree.parse(str(SCHEMA)))


def test_sample_feed_is_valid_atom_with_the_reports_newest_first(sample_site: Portal) -> None:
    etree, schema = atom_schema()
    feed = etree.parse(str(sample_site.site / "reports" / "feed.xml"))
    assert schema.validate(feed), schema.error_log
    reports = build_index(load_portal([REPO / "reports"], base=REPO).reports).reports
    expected = sorted(sorted(reports, key=lambda r: (r.agency.slug, -r.year)), key=lambda r: r.published,
                      reverse=True)
    entries = feed.getroot().findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [r.title for r in expected]
    assert [e.findtext(f"{ATOM}published")[:10] for e in entries] == [r.published.isoformat() for r in expected]
    # No site_url: tag: ids (authority: the contact email's domain), links relative to the feed.
    for entry, report in zip(entries, expected):
        assert entry.findtext(f"{ATOM}id") == (f"tag:example.gov.cn,{report.year + 1}:"
                                                f"reports/{report.agency.slug}/{report.year}")
        href = entry.find(f"{ATOM}link").get("href")
        assert (sample_site.site / "reports" / href / "index.html").is_file(), href
    head = sample_site.page("reports/shifan-zhen/2024/").find("link", type="application/atom+xml")
    assert sample_site.resolve("reports/shifan-zhen/2024/", head.attrs["href"]).name == "feed.xml"


def test_feed_with_site_url_bounded_and_escaped(small: Portal) -> None:
    etree, schema = atom_schema()
    for slug, day in (("c-d", "2025-01-05"), ("e-f", "2025-01-06")):
        small.write_report(f"{slug}/2024.yml", variant(seed_text(), slug=slug, name=f"示例{slug}局", published=day))
    hostile = re.sub(r"(?m)^  name: .*$", "  name: '示例\"引号&镇人民政府'", variant(seed_text(), slug="a-b"), count=1)
    small.write_report("a-b/2024.yml", hostile)
    configure(small, {"organiser": '主办"单位&'}, feed_entries=3)
    small.set_config(site_url="https://gongkai.example.gov.cn/sub")
    result = small.build("--strict")
    assert result.returncode == 0, result.stderr
    assert "未设置 site_url" not in result.stderr
    text = (small.site / "reports" / "feed.xml").read_text(encoding="utf-8")
    feed = etree.fromstring(text.encode("utf-8"))
    assert schema.validate(feed), schema.error_log
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 3
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == '主办"单位&'
    assert [e.findtext(f"{ATOM}id") for e in entries] == [
        "https://gongkai.example.gov.cn/sub/reports/a-b/2024/",
        "https://gongkai.example.gov.cn/sub/reports/shifan-zhen/2024/",
        "https://gongkai.example.gov.cn/sub/reports/e-f/2024/"]  # 2025-01-20 twice (by code), then 01-06
    assert entries[0].findtext(f"{ATOM}author/{ATOM}name") == '示例"引号&镇人民政府'
    assert "引号&amp;镇" in text


def test_no_site_url_is_said_without_failing_strict(small: Portal) -> None:
    result = small.build("--strict")
    assert result.returncode == 0
    assert "未设置 site_url，订阅源 reports/feed.xml 中的链接为相对地址" in result.stderr


def test_feed_off(small: Portal) -> None:
    configure(small, {"organiser": "示例县人民政府办公室"}, feed_entries=0)
    assert small.build("--strict").returncode == 0
    assert not (small.site / "reports" / "feed.xml").exists()
    assert not small.page("reports/shifan-zhen/2024/").find_all("link", type="application/atom+xml")


# --- reader tools -----------------------------------------------------------------------------


def test_tools_in_the_header(sample_site: Portal) -> None:
    report = sample_site.page("reports/shifan-zhen/2024/").find("header")
    care = report.find("button", class_="gk-care-toggle")
    assert care.attrs["aria-pressed"] == "false" and "hidden" in care.attrs and care.text == "长者模式"
    printing = report.find("button", class_="gk-print")
    assert printing.attrs["type"] == "button" and "hidden" in printing.attrs and printing.text == "打印本页"
    listing = sample_site.page("reports/2024/").find("header")
    assert listing.find_all("button", class_="gk-care-toggle") and not listing.find_all("button", class_="gk-print")
    # The mode is applied in the head, before the body is painted.
    head = sample_site.page("reports/2024/").find("head")
    assert any("gk-care" in s.text for s in head.find_all("script"))
