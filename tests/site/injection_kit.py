"""The payload catalogue (``injection_payloads.yml``) put into reports, portals built from them,
and the check that a built portal holds nothing that runs. Shared by the site and browser tests."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
CATALOGUE = Path(__file__).with_name("injection_payloads.yml")
SEED = REPO / "reports" / "shifan-zhen" / "2024.yml"
FIELDS = ("name", "narrative", "slug")
NARRATIVE_KEY = "problems"  # the section a payload goes into, after an ordinary first paragraph
FIRST_PARAGRAPH = "本年度存在的主要问题如下。"
NAVIGATION_SIZE = 200  # every agency listed in the navigation, so every name is printed there


@dataclass(frozen=True)
class Payload:
    id: str
    payload: str
    name: str  # a rule code, or "ok"
    narrative: str
    shown: str | None = None

    def outcome(self, field: str) -> str:
        return "invalid-slug" if field == "slug" else getattr(self, field)


def payloads() -> list[Payload]:
    return [Payload(**entry) for entry in yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))]


# --- reports -------------------------------------------------------------------------------

_YAML_UNSAFE = re.compile(r"[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]")


@dataclass(frozen=True)
class Written:
    text: str
    name_line: int
    slug_line: int
    payload_line: int | None  # the file's line of the narrative payload's first line (a literal block)


def report_text(*, slug: str = "shifan-zhen", name: str = "示例镇人民政府", narrative: str | None = None) -> Written:
    """The seed report with its slug, name and (when given) the ``problems`` narrative replaced, as an editor writes them."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    out: list[str] = []
    positions: dict[str, int] = {}
    skipping = False
    for line in lines:
        if skipping:
            if line.startswith("  ") or not line.strip():
                continue
            skipping = False
            out.append("")
        if line.strip().startswith("slug:"):
            positions["slug"] = len(out) + 1
            line = f"  slug: {json.dumps(slug, ensure_ascii=False)}"
        elif line.strip().startswith("name:"):
            positions["name"] = len(out) + 1
            line = f"  name: {json.dumps(name, ensure_ascii=False)}"
        elif narrative is not None and line.startswith(f"{NARRATIVE_KEY}:"):
            skipping = True
            body = f"{FIRST_PARAGRAPH}\n\n{narrative}"
            if _YAML_UNSAFE.search(body) or body != body.strip() or "\t" in body:
                out.append(f"{NARRATIVE_KEY}: {json.dumps(body, ensure_ascii=False)}")
            else:
                positions["payload"] = len(out) + 4  # key, first paragraph, blank line, payload
                out.append(f"{NARRATIVE_KEY}: |")
                out.extend(f"  {part}" if part else "" for part in body.split("\n"))
            continue
        out.append(line)
    return Written("\n".join(out), positions["name"], positions["slug"], positions.get("payload"))


def copy_site_files(root: Path) -> None:
    """The sample portal's configuration, home page and theme overrides, every agency in the navigation."""
    root.mkdir(parents=True, exist_ok=True)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("      url_prefix: reports\n",
                            f"      url_prefix: reports\n      nav_agencies_max: {NAVIGATION_SIZE}\n")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copytree(REPO / "overrides", root / "overrides")
    (root / "reports").mkdir()


def write_valid_portal(root: Path) -> list[tuple[str, Payload, str]]:
    """A portal of one report per payload that validates in a field: (slug, payload, field) for each."""
    copy_site_files(root)
    placed = []
    for number, p in enumerate(payloads(), start=1):
        name_ok, narrative_ok = p.name == "ok", p.narrative == "ok"
        if not (name_ok or narrative_ok):
            continue
        slug = f"p{number:02d}"
        written = report_text(slug=slug, name=p.payload if name_ok else f"载荷{number:02d}号机关",
                              narrative=p.payload if narrative_ok else None)
        target = root / "reports" / slug / "2024.yml"
        target.parent.mkdir(parents=True)
        target.write_text(written.text, encoding="utf-8")
        placed += [(slug, p, field) for field, ok in (("name", name_ok), ("narrative", narrative_ok)) if ok]
    return placed


def build_past_the_validator(root: Path) -> None:
    """Every payload, refused or not, as a name and in every narrative, put straight into the typed reports.

    Shows that the pages stay safe even for a report the validator never saw.
    """
    import pytest
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from gongkai import collection
    from gongkai.model import Agency

    copy_site_files(root)
    catalogue = payloads()
    for number in range(1, len(catalogue) + 1):
        target = root / "reports" / f"p{number:02d}" / "2024.yml"
        target.parent.mkdir(parents=True)
        target.write_text(report_text(slug=f"p{number:02d}", name=f"载荷{number:02d}号机关").text, encoding="utf-8")
    real_load = collection.ReportStore.load

    def load(self, paths):  # type: ignore[no-untyped-def]
        loaded = real_load(self, paths)
        hostile = []
        for report in loaded.reports:
            n = int(report.agency.slug[1:]) - 1
            texts = [catalogue[(n + k) % len(catalogue)].payload for k in range(len(report.narrative))]
            hostile.append(dataclasses.replace(
                report, agency=Agency(report.agency.slug, catalogue[n].payload),
                narrative={key: f"{FIRST_PARAGRAPH}\n\n{text}" for key, text in zip(report.narrative, texts)}))
        loaded.reports = hostile
        return loaded

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(collection.ReportStore, "load", load)
        build(load_config(str(root / "mkdocs.yml")))


# --- what may not be in a built portal -----------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset", "background"}
# The theme's own: Material's search "share" button.
THEME_URLS = {"javascript:void(0)"}
MARKER = re.compile(r"__pwned|alert\(|msgbox\(", re.IGNORECASE)


class _Scanner(HTMLParser):
    def __init__(self, where: str) -> None:
        super().__init__(convert_charrefs=True)
        self.where = where
        self.problems: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        from gongkai.pages.text import is_safe_url

        if tag in ("iframe", "object", "embed", "frame", "base"):
            self.problems.append(f"{self.where}: <{tag}>")
        if tag == "meta" and any(k == "http-equiv" for k, _ in attrs):
            self.problems.append(f"{self.where}: <meta http-equiv>")
        if tag == "img" and not all(is_local(v or "") for k, v in attrs if k in ("src", "srcset")):
            self.problems.append(f"{self.where}: remote image {attrs}")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"{self.where}: <{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and value not in THEME_URLS and not is_safe_url(value):
                self.problems.append(f"{self.where}: <{tag} {name}={value!r}>")
            # An anchor made from a heading's words may hold them; an element named __pwned would set window.__pwned.
            anchor = name == "id" or (name == "href" and value.startswith("#"))
            # A page's description is text (the agency's name in words), read as one attribute.
            described = tag == "meta" and name == "content" and ("name", "description") in attrs
            if (MARKER.search(value) and not anchor and not described) or (name in ("id", "name") and value == "__pwned"):
                self.problems.append(f"{self.where}: <{tag} {name}={value!r}>")
            if name == "style" and re.search(r"position\s*:\s*fixed|z-index|url\(", value, re.IGNORECASE):
                self.problems.append(f"{self.where}: <{tag} style={value!r}>")
        self.in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and MARKER.search(data):
            self.problems.append(f"{self.where}: script {data[:80]!r}")


def is_local(url: str) -> bool:
    return not re.match(r"^\s*(?:[a-z][a-z0-9+.\-]*:|//)", url, re.IGNORECASE)


def html_problems(markup: str, where: str) -> list[str]:
    scanner = _Scanner(where)
    scanner.feed(markup)
    scanner.close()
    return scanner.problems


def portal_problems(site: Path) -> Iterator[str]:
    """Everything in a built site that could run or load from elsewhere: HTML, the search index, XML."""
    for path in sorted(site.rglob("*")):
        where = str(path.relative_to(site))
        if path.suffix in (".html", ".htm"):  # .htm: the report attachments (gongkai.attachments)
            yield from html_problems(path.read_text(encoding="utf-8"), where)
        elif path.suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            # Material's search shows titles and texts as HTML.
            for doc in data.get("docs", []) if isinstance(data, dict) else []:
                for key in ("title", "text", "location"):
                    yield from html_problems(str(doc.get(key, "")), f"{where} {doc.get('location')} {key}")
        elif path.suffix == ".xml":
            yield from xml_problems(path.read_text(encoding="utf-8"), where)


ATOM_TEXT = {"title", "subtitle", "summary", "rights", "content", "name"}


def xml_problems(text: str, where: str) -> Iterator[str]:
    """A payload in an XML file's markup: a link, any attribute, an element; in the Atom feed's
    text constructs it is words (type text: a feed reader shows it as text), nowhere else."""
    import xml.etree.ElementTree as ET

    from gongkai.pages.text import is_safe_url

    for element in ET.fromstring(text).iter():
        local = element.tag.rsplit("}", 1)[-1]
        for name, value in element.attrib.items():
            if MARKER.search(value) or (name in URL_ATTRIBUTES and not is_safe_url(value)):
                yield f"{where}: <{local} {name}={value!r}>"
        if local in ATOM_TEXT and element.get("type", "text") != "text":
            yield f"{where}: <{local} type={element.get('type')!r}>: markup a feed reader would render"
        if local not in ATOM_TEXT and (MARKER.search(element.text or "") or "javascript:" in (element.text or "").lower()):
            yield f"{where}: a payload in <{local}>"
