"""An Atom feed (RFC 4287) of the portal's reports, newest publication first: index → XML text.

Atom wants every id to be an absolute IRI. With the site's address known (MkDocs'
``site_url``), ids and links are the pages' absolute URLs. Without it, ids are ``tag:`` URIs
(RFC 4151) that never change for a report (its agency code and year), and
links are relative to the feed's own address, which a feed reader resolves (RFC 4287 §4.2.7.1
and xml:base); ``FeedSettings.relative`` says so, for the build's output.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote, urljoin

from .indexing import Layout
from .model import Report
from .pages.meta import report_description

ATOM = "http://www.w3.org/2005/Atom"
DEFAULT_ENTRIES = 50
FEED_NAME = "feed.xml"
# The tag: URIs' authority without site_url: the contact email's domain, else this (RFC 2606: never
# anyone's domain).
TAG_AUTHORITY = "gongkai.invalid"
TAG_DATE = "2008-05-01"  # the feed's own tag: date (《政府信息公开条例》 in force)
TIMEZONE = "+08:00"  # publication dates are Beijing dates
# What XML 1.0 cannot hold at all (control characters): ElementTree would write it and break the
# feed. A validated report has none; a report the validator never saw still makes a readable feed.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class FeedSettings:
    title: str
    author: str  # the feed's author: the organiser (主办单位), else the site's name
    site_url: str | None = None  # absolute, ending with "/"; None: relative links and tag: ids
    directory_urls: bool = True
    entries: int = DEFAULT_ENTRIES
    tag_authority: str = TAG_AUTHORITY

    @property
    def relative(self) -> bool:
        return not self.site_url


def feed_path(layout: Layout) -> str:
    """Where the feed lives in the site, e.g. ``reports/feed.xml``."""
    return f"{layout.prefix}/{FEED_NAME}"


def page_url(src_uri: str, directory_urls: bool) -> str:
    """A generated page's URL path from its source path, as MkDocs makes it."""
    stem = src_uri[: -len(".md")]
    if not directory_urls:
        return stem + ".html"
    if posixpath.basename(stem) == "index":
        stem = posixpath.dirname(stem)
    return stem + "/"


def _stamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00{TIMEZONE}"


def newest(reports: Iterable[Report], limit: int) -> list[Report]:
    """The ``limit`` latest reports by publication date (then agency and year: a stable order)."""
    ordered = sorted(reports, key=lambda r: (r.agency.slug, -r.year))
    ordered.sort(key=lambda r: r.published, reverse=True)
    return ordered[:max(limit, 0)]


def atom_feed(reports: Iterable[Report], layout: Layout, settings: FeedSettings) -> str:
    """The feed as UTF-8 XML text (ElementTree escapes every text and attribute)."""
    here = feed_path(layout)
    entries = newest(reports, settings.entries)

    def href(src_uri: str) -> str:
        url = quote(page_url(src_uri, settings.directory_urls))
        if settings.site_url:
            return urljoin(settings.site_url, url)
        return posixpath.relpath(url, posixpath.dirname(here)) + ("/" if url.endswith("/") else "")

    def tag(specific: str, day: str) -> str:
        return f"tag:{settings.tag_authority},{day}:{quote(specific)}"

    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "zh-CN"})

    def sub(parent: ET.Element, name: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{name}", attrs)
        element.text = NOT_XML.sub("", text) if text is not None else None
        return element

    sub(feed, "id", urljoin(settings.site_url, quote(here)) if settings.site_url else tag(here, TAG_DATE))
    sub(feed, "title", settings.title)
    sub(feed, "updated", _stamp(entries[0].published) if entries else _stamp(date.fromisoformat(TAG_DATE)))
    author = sub(feed, "author")
    sub(author, "name", settings.author)
    sub(feed, "link", rel="self", type="application/atom+xml",
        href=urljoin(settings.site_url, quote(here)) if settings.site_url else FEED_NAME)
    sub(feed, "link", rel="alternate", type="text/html", href=href(layout.index()))
    sub(feed, "generator", "gongkai")
    for report in entries:
        entry = sub(feed, "entry")
        src = layout.report(report)
        # The tag's date is the year the report is due in, not its publication date: a corrected
        # date must not make the same report a new entry.
        sub(entry, "id", href(src) if settings.site_url else tag(src[: -len(".md")], str(report.year + 1)))
        sub(entry, "title", report.title)
        sub(entry, "link", rel="alternate", type="text/html", href=href(src))
        sub(entry, "published", _stamp(report.published))
        sub(entry, "updated", _stamp(report.published))
        entry_author = sub(entry, "author")
        sub(entry_author, "name", report.agency.name)
        sub(entry, "summary", report_description(report), type="text")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
