"""No request leaves the site: no outside host in what a browser loads (links to read are fine)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from .conftest import Portal

# Elements and attributes a browser fetches by itself.
FETCHED = {
    "link": ("href",), "script": ("src",), "img": ("src", "srcset"), "source": ("src", "srcset"),
    "iframe": ("src",), "video": ("src", "poster"), "audio": ("src",), "embed": ("src",), "object": ("data",),
    "track": ("src",), "input": ("src",),
}
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]*)", re.IGNORECASE)
CSS_IMPORT = re.compile(r"@import\s+['\"]([^'\"]+)", re.IGNORECASE)
JS_FETCH = re.compile(r"""(?:importScripts|fetch)\(\s*['"]((?:https?:)?//[^'"]+)""")


def is_local(url: str) -> bool:
    url = url.strip()
    if not url or url.startswith(("#", "data:")):
        return True
    return not re.match(r"^([a-z][a-z0-9+.-]*:|//)", url, re.IGNORECASE)


class _Fetches(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and values.get("rel") in ("preconnect", "dns-prefetch"):
            self.urls.append(values.get("href") or "")
        for name in FETCHED.get(tag, ()):
            value = values.get(name)
            if value:
                self.urls.extend(part.split()[0] for part in value.split(",") if part.strip())
        if values.get("style"):
            self.urls.extend(CSS_URL.findall(values["style"] or ""))
        self.in_style = tag == "style"

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.urls.extend(CSS_URL.findall(data))


def test_no_outside_host_in_html_css_or_js(sample_site: Portal) -> None:
    outside: list[str] = []
    files = [p for p in sample_site.site.rglob("*") if p.suffix in (".html", ".css", ".js")]
    assert any(p.suffix == ".css" for p in files) and any(p.suffix == ".js" for p in files)
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        name = path.relative_to(sample_site.site).as_posix()
        if path.suffix == ".html":
            parser = _Fetches()
            parser.feed(text)
            urls = parser.urls
        elif path.suffix == ".css":
            urls = CSS_URL.findall(text) + CSS_IMPORT.findall(text)
        else:
            urls = JS_FETCH.findall(text)
        outside.extend(f"{name}: {u}" for u in urls if not is_local(u))
    assert outside == []


def test_no_font_service_and_no_generator_link(sample_site: Portal) -> None:
    html = (sample_site.site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html
    assert "squidfunk.github.io" not in html


def test_site_stylesheet_is_linked(sample_site: Portal) -> None:
    html = (sample_site.site / "reports/shifan-zhen/2024/index.html").read_text(encoding="utf-8")
    assert 'href="../../../assets/gongkai.css"' in html
    css = (sample_site.site / "assets/gongkai.css").read_text(encoding="utf-8")
    for needed in (".gk-table-scroll", "overflow-x: auto", "@media print", "size: A4", ".gk-late", ":focus-visible"):
        assert needed in css
