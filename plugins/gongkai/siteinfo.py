"""The footer a government site must carry: organiser, contact and the registration identifiers.

Read from a plain mapping (``plugins.gongkai.site_info`` in ``mkdocs.yml``): every value is
checked here (a finding from the catalogue for each bad one, located at its option) and the
footer gets only escaped text (``FooterView``). Images are files of the site's own ``docs``
folder: no page may load anything from another host, so a URL is refused. The registration
links (beian.miit.gov.cn, beian.mps.gov.cn, the 党政机关网站标识's page at conac.cn) are plain
links: following one is the reader's choice, not a request the page makes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import yaml
from markupsafe import escape

from .findings import Finding
from .rules import Where, describe, finding
from .text_checks import check_name

# Option key → its official name, in the footer's order.
LABELS: dict[str, str] = {
    "organiser": "主办单位",
    "undertaker": "承办单位",
    "address": "地址",
    "phone": "联系电话",
    "email": "电子邮箱",
    "site_code": "网站标识码",
    "icp": "ICP备案号",
    "police": "公安机关备案号",
    "police_icon": "公安机关备案图标",
    "conac_badge": "党政机关网站标识",
    "conac_url": "党政机关网站标识链接",
}
TEXTS = ("organiser", "undertaker", "address", "phone")
IMAGES = ("police_icon", "conac_badge")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")

ICP_URL = "https://beian.miit.gov.cn/"
POLICE_URL = "https://beian.mps.gov.cn/#/query/webSearch?code={number}"

# 网站标识码 (全国政府网站基本信息数据库): local governments' sites are the 6-digit
# administrative division code and 4 digits (3406000012); State Council departments' are
# "bm" and 8 digits (bm55000001).
SITE_CODE = re.compile(r"(?:\d{10}|bm\d{8})\Z")
ICP = re.compile(r"[\u4e00-\u9fff]ICP备\d{6,12}号(?:-\d{1,3})?\Z")
POLICE = re.compile(r"[\u4e00-\u9fff]公网安备\s?(\d{14})号\Z")
EMAIL = re.compile(r"[^@\s<>\"'&;:/\\()]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+\Z")


@dataclass(frozen=True)
class SiteInfo:
    """Checked values, as the editor wrote them (``None``: not configured)."""

    organiser: str | None = None
    undertaker: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    site_code: str | None = None
    icp: str | None = None
    police: str | None = None
    police_icon: str | None = None  # a path inside docs/, with "/" separators
    conac_badge: str | None = None
    conac_url: str | None = None

    @property
    def police_number(self) -> str | None:
        match = POLICE.match(self.police or "")
        return match.group(1) if match else None

    @property
    def email_domain(self) -> str | None:
        return self.email.rsplit("@", 1)[1].lower() if self.email else None


def read_site_info(options: Mapping[str, Any] | None, docs_dir: Path, file: str = "mkdocs.yml",
                   source: str | None = None, prefix: tuple[str, ...] = ("plugins", "gongkai", "site_info"),
                   ) -> tuple[SiteInfo, list[Finding]]:
    """The footer's values from ``options``; a value with a finding is left out.

    ``source``, the text of ``file``, gives each finding its line and column.
    """
    found: list[Finding] = []
    values: dict[str, str] = {}
    lines = option_lines(source or "", prefix[-1])
    for key, raw in (options or {}).items():
        line, column = lines.get(str(key), (None, None))
        where = Where(file, line, column, (*prefix, str(key)), LABELS.get(str(key), str(key)))
        if key not in LABELS:
            found.append(finding("site-info-unknown-key", where, key=key, allowed="、".join(LABELS)))
            continue
        if raw is None or raw == "":
            continue
        if isinstance(raw, bool) or not isinstance(raw, (str, int)):
            found.append(finding("site-info-not-text", where, value=describe(raw)))
            continue
        problems = _check(key, str(raw).strip(), where, docs_dir)
        found.extend(problems)
        if not problems:
            values[key] = _normalised(key, str(raw).strip())
    return SiteInfo(**values), found


def option_lines(source: str, section: str) -> dict[str, tuple[int, int]]:
    """Line and column (1-based) of each key written in block style under ``section:`` in YAML text."""
    found: dict[str, tuple[int, int]] = {}
    indent: int | None = None
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.lstrip(" ")
        depth = len(line) - len(stripped)
        if indent is None:
            if stripped.split("#", 1)[0].rstrip() == f"{section}:":
                indent = depth
            continue
        if not stripped or stripped.startswith("#"):
            continue
        if depth <= indent:
            break
        match = re.match(r"([A-Za-z_][\w-]*)\s*:", stripped)
        if match:
            found.setdefault(match.group(1), (number, depth + 1))
    return found


def _check(key: str, value: str, where: Where, docs_dir: Path) -> list[Finding]:
    if key in TEXTS:
        return check_name(value, where, LABELS[key])
    if key == "site_code" and not SITE_CODE.match(value.lower()):
        return [finding("site-info-code", where, actual=value)]
    if key == "icp" and not ICP.match(value):
        return [finding("site-info-icp", where, actual=value)]
    if key == "police" and not POLICE.match(value):
        return [finding("site-info-police", where, actual=value)]
    if key == "email" and not EMAIL.match(value):
        return [finding("site-info-email", where, actual=value)]
    if key == "conac_url" and not _web_link(value):
        return [finding("site-info-link", where, actual=value)]
    if key in IMAGES:
        return _check_image(value, where, docs_dir)
    return []


def _web_link(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not re.search(r"[\s<>\"'`\\]", value)


def _check_image(value: str, where: Where, docs_dir: Path) -> list[Finding]:
    if urlsplit(value).scheme or value.startswith(("//", "\\\\")):
        return [finding("site-info-remote-image", where, actual=value)]
    relative = value.replace("\\", "/").lstrip("/")
    path = (docs_dir / relative).resolve()
    inside = path.is_relative_to(docs_dir.resolve())
    if not inside or not path.is_file() or path.suffix.lower() not in IMAGE_SUFFIXES:
        return [finding("site-info-image-missing", where, path=value,
                        kinds="、".join(s.lstrip(".") for s in IMAGE_SUFFIXES))]
    return []


def _normalised(key: str, value: str) -> str:
    if key in IMAGES:
        return value.replace("\\", "/").lstrip("/")
    if key == "site_code":
        return value.lower()
    return value


@dataclass(frozen=True)
class FooterView:
    """What the footer template prints: every text HTML-escaped, attribute-safe; "" when not set.

    Image paths are relative to the site's root (URL-quoted): the template passes them through
    MkDocs' ``url`` filter, which makes them relative to each page.
    """

    organiser: str = ""
    undertaker: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    email_href: str = ""
    site_code: str = ""
    icp: str = ""
    icp_href: str = ""
    police: str = ""
    police_href: str = ""
    police_icon: str = ""
    conac_badge: str = ""
    conac_href: str = ""

    @property
    def empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))

    @property
    def has_organiser(self) -> bool:
        return bool(self.organiser or self.undertaker)

    @property
    def has_contact(self) -> bool:
        return bool(self.address or self.phone or self.email)

    @property
    def has_registration(self) -> bool:
        return bool(self.site_code or self.icp or self.police)


def footer_view(info: SiteInfo) -> FooterView:
    def e(value: str | None) -> str:
        return str(escape(value)) if value else ""

    number = info.police_number
    return FooterView(
        organiser=e(info.organiser), undertaker=e(info.undertaker), address=e(info.address), phone=e(info.phone),
        email=e(info.email), email_href=e(f"mailto:{info.email}") if info.email else "",
        site_code=e(info.site_code), icp=e(info.icp), icp_href=ICP_URL if info.icp else "",
        police=e(info.police), police_href=e(POLICE_URL.format(number=number)) if number else "",
        police_icon=e(quote(info.police_icon)) if info.police_icon else "",
        conac_badge=e(quote(info.conac_badge)) if info.conac_badge else "",
        conac_href=e(info.conac_url),
    )


class _ConfigLoader(yaml.SafeLoader):
    """``mkdocs.yml`` as data: MkDocs' own tags (``!ENV``, ``!relative``, ``!!python/name:…``) read as
    nothing, since only the plain values of ``site_info`` are wanted here."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_ConfigLoader.add_multi_constructor("!", _any_tag)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


def site_info_findings(config_file: Path) -> list[Finding]:
    """What ``gongkai validate`` says about the footer's settings in a project's ``mkdocs.yml`` (the
    build stops on the same errors): nothing when the file is absent, unreadable or has no gongkai
    plugin — MkDocs itself reports a broken configuration."""
    try:
        source = config_file.read_text(encoding="utf-8")
        config = yaml.load(source, Loader=_ConfigLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []
    if not isinstance(config, dict):
        return []
    plugins = config.get("plugins")
    entries = plugins if isinstance(plugins, list) else [plugins] if isinstance(plugins, dict) else []
    options = next((entry.get("gongkai") for entry in entries if isinstance(entry, dict) and "gongkai" in entry), None)
    site_info = options.get("site_info") if isinstance(options, dict) else None
    if not isinstance(site_info, dict):
        return []
    docs = config.get("docs_dir")
    docs_dir = config_file.parent / (docs if isinstance(docs, str) and docs else "docs")
    return read_site_info(site_info, docs_dir, config_file.name, source)[1]
