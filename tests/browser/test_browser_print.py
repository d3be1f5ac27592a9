"""Print: Chromium's PDF (A4) of a report page holds the report's title and all its table
captions, and none of the site's navigation chrome (header, nav, search, footer, skip link)."""

import re
import subprocess

CHROME_TEXTS = """() => {
  const text = el => (el.textContent || '').trim().replace(/\\s+/g, ' ');
  const h1 = document.querySelector('article h1, .md-content h1').cloneNode(true);
  h1.querySelectorAll('.headerlink').forEach(a => a.remove());
  const article = document.querySelector('article, .md-content');
  const chrome = [];
  for (const sel of ['.md-header__topic', '.md-sidebar--primary .md-nav__link', '.md-tabs__link',
                     '.md-footer a', '.md-footer-meta', '.md-skip']) {
    document.querySelectorAll(sel).forEach(el => { const t = text(el); if (t) chrome.push(t); });
  }
  const search = document.querySelector('#gk-search-input');
  if (search && search.placeholder) chrome.push(search.placeholder);
  const nav = document.querySelector('.md-sidebar--primary nav.md-nav--primary');
  return {
    title: text(h1),
    captions: [...document.querySelectorAll('article table caption, .md-content table caption')].map(text),
    article: text(article),
    chrome,
    navList: nav ? [...nav.querySelectorAll('.md-nav__link')].map(text).filter(Boolean).join('') : '',
  };
}"""


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def test_report_prints_to_pdf(gk, pages, base_url, context_factory, artifacts_dir):
    pdftotext = gk.which("pdftotext")
    gk.require(bool(pdftotext), "pdftotext (Debian package poppler-utils)")
    page = gk.open_kind(context_factory(), base_url, pages, "report-2021")
    info = page.evaluate(CHROME_TEXTS)
    assert info["title"], "the report page has no h1 title"
    assert len(info["captions"]) >= 3, f"expected three table captions, got {info['captions']}"

    pdf = artifacts_dir / "report-2021.pdf"
    pdf.write_bytes(page.pdf(format="A4", print_background=True))
    text = subprocess.run([pdftotext, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    flat = squash(text)
    assert squash(info["title"]) in flat, f"PDF lacks the title {info['title']!r}"
    for caption in info["captions"]:
        assert squash(caption) in flat, f"PDF lacks the table caption {caption!r}"

    article = squash(info["article"])
    leaked = [t for t in dict.fromkeys(info["chrome"]) if squash(t) not in article and squash(t) in flat]
    assert not leaked, f"navigation chrome printed in the PDF: {leaked}"
    if info["navList"]:
        assert squash(info["navList"]) not in flat, f"the site nav ({info['navList']!r}) is printed in the PDF"
    t = gk.tally("print")
    t.pages.add("report-2021")
