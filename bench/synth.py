"""Synthetic portals for the benchmark: N valid reports, and the same pages as plain Markdown.

``write_portal(root, n)`` spreads ``n`` reports over agencies and the years 2019–2024
(2019–2020 in the 2019 format, 2021 onwards in the 2021 format), with narrative text that
differs from report to report and numbers that satisfy every arithmetic and cross-year rule
of ``gongkai.validation``. Reports are written with ``gongkai.writing.report_to_yaml``, so
they are exactly what an editor would get from ``gongkai new``/``import``.

``write_baseline(root, portal)`` writes the same pages as plain Markdown (title, narrative,
tables as HTML) for a plain MkDocs + Material site: the yardstick of the benchmark.
"""

from __future__ import annotations

import html
import random
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import yaml

from gongkai.formats import FORMAT_2021, FormatSpec, TableSpec, format_for_year
from gongkai.model import Agency, CellPath, CellValue, Report
from gongkai.totals import total_rules
from gongkai.writing import report_to_yaml

YEARS: tuple[int, ...] = (2019, 2020, 2021, 2022, 2023, 2024)
REPORTS_DIR = "reports"
DOCS_DIR = "docs"
SITE_NAME = "政府信息公开工作年度报告（基准测试）"

# --- agencies -------------------------------------------------------------------------

_PLACES = [
    ("donghu", "东湖"), ("xishan", "西山"), ("nanping", "南平"), ("beiyuan", "北苑"), ("qinghe", "清河"),
    ("baiyun", "白云"), ("jinshui", "金水"), ("longquan", "龙泉"), ("songling", "松岭"), ("taoyuan", "桃源"),
    ("yangliu", "杨柳"), ("fenghuang", "凤凰"), ("shiqiao", "石桥"), ("hongqi", "红旗"), ("changle", "长乐"),
    ("anping", "安平"), ("xinghua", "兴华"), ("huaxi", "花溪"), ("meilin", "梅林"), ("yunhe", "运河"),
]
_KINDS = [
    ("zhen", "镇人民政府"), ("jiedao", "街道办事处"), ("xiang", "乡人民政府"), ("jiaoyu", "区教育局"),
    ("weijian", "区卫生健康委员会"), ("zhujian", "区住房和城乡建设局"), ("shuiwu", "区水务局"),
    ("minzheng", "区民政局"), ("caizheng", "区财政局"), ("shichang", "区市场监督管理局"),
]


def agency_for(index: int) -> Agency:
    """A distinct, plausible agency for every index (slug and name stable across years)."""
    place_slug, place = _PLACES[index % len(_PLACES)]
    kind_slug, kind = _KINDS[(index // len(_PLACES)) % len(_KINDS)]
    series = index // (len(_PLACES) * len(_KINDS))
    suffix = f"-{series + 1}" if series else ""
    name_suffix = f"（第{series + 1}片区）" if series else ""
    return Agency(slug=f"{place_slug}-{kind_slug}{suffix}", name=f"{place}{kind}{name_suffix}")


# --- narrative ------------------------------------------------------------------------

_OVERVIEW_HEADINGS = ["（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）平台建设", "（五）监督保障"]
_SENTENCES = [
    "严格按照《中华人民共和国政府信息公开条例》要求，妥善处理公开与保密的关系，合理界定信息公开范围。",
    "全年通过政府网站主动公开政府信息{a}条，通过政务新媒体发布信息{b}条，及时回应群众关切。",
    "围绕{topic}等重点领域，细化公开清单，做到应公开尽公开。",
    "健全“主要领导牵头抓、分管领导具体抓、责任到科室、落实到个人”的工作机制，压实工作责任。",
    "严格落实“谁提供、谁审核、谁负责”的原则，确保信息真实、准确、权威。",
    "对照上级要求开展政务公开专项检查{c}次，发现问题{d}个，均已整改到位。",
    "积极运用图解、短视频等形式开展政策解读{e}篇，提高信息发布的及时性和覆盖面。",
    "依法规范办理政府信息公开申请，做到依法答复、按时答复，未发生因答复不当引起的争议。",
    "组织政务公开业务培训{f}场，参训人员{g}人次，提升工作人员的业务能力。",
    "加强政府网站和政务新媒体日常监测，全年未发生泄密和错误发布事件。",
    "落实社会评议制度，广泛听取群众意见，有效保障人民群众的知情权、参与权和监督权。",
    "推进{topic}信息公开标准化规范化建设，更新完善公开目录{h}项。",
    "将政务公开工作纳入年度绩效考核，定期通报工作进展，形成常态化督促机制。",
    "依托政务服务中心设置政府信息查阅点{i}个，方便群众就近查阅。",
]
_TOPICS = ["财政预决算", "重大建设项目", "公共资源配置", "社会救助", "教育卫生", "生态环境", "食品药品安全",
           "安全生产", "乡村振兴", "征地拆迁", "就业创业", "养老服务", "住房保障", "城市管理"]
_PROBLEMS = [
    "信息公开的深度和广度还不够，部分领域公开内容较为单一。",
    "政策解读形式不够丰富，解读的针对性和可读性有待提高。",
    "个别科室对政务公开工作重视不够，信息报送不够及时。",
    "依申请公开办理的规范化水平还需进一步提升。",
    "政务新媒体内容更新频率不够稳定，互动回应不够及时。",
]
_IMPROVEMENTS = [
    "不断创新工作方式方法，了解群众所需所想，拓宽信息公开领域。",
    "围绕中心工作，加大重点领域信息公开力度，及时、准确发布各类信息。",
    "加强业务培训，学习相关法律法规和政策，提升工作人员专业能力。",
    "完善信息发布审核机制，做到及时更新、准确发布。",
    "加强与上级部门的沟通，借鉴先进经验，推动政务公开工作提质增效。",
]


def _sentence(rng: random.Random) -> str:
    return rng.choice(_SENTENCES).format(
        a=rng.randint(20, 900), b=rng.randint(50, 3000), c=rng.randint(1, 12), d=rng.randint(0, 9),
        e=rng.randint(3, 60), f=rng.randint(1, 8), g=rng.randint(20, 400), h=rng.randint(5, 80),
        i=rng.randint(1, 6), topic=rng.choice(_TOPICS))


def _paragraph(rng: random.Random, sentences: int) -> str:
    return "".join(_sentence(rng) for _ in range(sentences))


def narrative_for(agency: Agency, year: int, rng: random.Random, values: dict[CellPath, CellValue]) -> dict[str, str]:
    """Several paragraphs (~2–4 KB of UTF-8 in all), different for every report."""
    received = values[("applications", "received", "total")]
    carried = values[("applications", "carried_over", "total")]
    forward = values[("applications", "carried_forward", "total")]
    parts = []
    for heading in _OVERVIEW_HEADINGS[: rng.randint(3, 5)]:
        body = _paragraph(rng, rng.randint(3, 6))
        if heading == "（二）依申请公开":
            body = (f"{year}年度{agency.name}收到政府信息公开申请{received}件，上年结转{carried}件，"
                    f"结转下年度继续办理{forward}件。") + body
        parts.append(f"### {heading}\n\n{body}")
    overview = "\n\n".join(parts)
    problems = (f"{year}年{agency.name}政府信息公开工作整体运行良好，但仍存在以下不足：" + "".join(
        f"{n}.{p}" for n, p in enumerate(rng.sample(_PROBLEMS, rng.randint(2, 4)), 1))
        + "\n\n下一步，将从以下几个方面改进：" + "".join(
        f"{n}.{p}" for n, p in enumerate(rng.sample(_IMPROVEMENTS, rng.randint(2, 4)), 1)))
    other = rng.choice([
        f"本单位{year}年未收取信息处理费，无其他需要报告的事项。",
        f"{year}年度本机关未收取信息处理费。{_sentence(rng)}",
    ])
    return {"overview": overview, "problems": problems, "other_matters": other}


# --- numbers --------------------------------------------------------------------------


@dataclass
class _AgencyState:
    """What last year's report said that this year's must carry on from."""

    carried_forward: dict[str, int] = field(default_factory=dict)  # per applicant column
    in_force: dict[str, int] = field(default_factory=dict)  # 2021 format, per row
    previous_items: dict[str, int] = field(default_factory=dict)  # 2019 format, per row
    change: dict[str, int] = field(default_factory=dict)


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """``total`` as ``parts`` non-negative integers, weighted toward the first ones."""
    weights = [rng.random() ** (1 + i) for i in range(parts)]
    scale = sum(weights) or 1.0
    shares = [int(total * w / scale) for w in weights]
    shares[0] += total - sum(shares)
    return shares


def _applications(spec: FormatSpec, state: _AgencyState, first: bool, rng: random.Random,
                  values: dict[CellPath, CellValue]) -> None:
    table = spec.table("applications")
    block = table.blocks[0]
    columns = [c.key for column in block.columns for c in column.leaves() if not c.is_total]
    result_rows = [leaf.path for _, leaf in table.leaf_rows()
                   if leaf.path[0] == "results" and not leaf.row.is_total]
    for column in columns:
        scale = 40 if column == "natural_person" else 6
        received = rng.randint(0, scale)
        carried_over = rng.randint(0, 3) if first else state.carried_forward.get(column, 0)
        pending = received + carried_over
        carried_forward = rng.randint(0, min(pending, 3))
        handled = pending - carried_forward
        values[("applications", "received", column)] = received
        values[("applications", "carried_over", column)] = carried_over
        values[("applications", "carried_forward", column)] = carried_forward
        for path, share in zip(result_rows, _split(handled, len(result_rows), rng)):
            values[("applications",) + path + (column,)] = share
        state.carried_forward[column] = carried_forward


def _appeals(spec: FormatSpec, rng: random.Random, values: dict[CellPath, CellValue]) -> None:
    table = spec.table("appeals")
    for _, leaf in table.leaf_rows():
        for column in ("upheld", "corrected", "other", "pending"):
            values[("appeals",) + leaf.path + (column,)] = rng.choice((0, 0, 0, 1, 2))


def _proactive(spec: FormatSpec, state: _AgencyState, first: bool, rng: random.Random,
               values: dict[CellPath, CellValue]) -> None:
    p = "proactive"
    if spec is FORMAT_2021:
        for row in ("regulations", "normative_documents"):
            before = rng.randint(0, 30) if first else state.in_force[row]
            issued = rng.randint(0, 8)
            repealed = rng.randint(0, min(before + issued, 3))
            values[(p, row, "issued")], values[(p, row, "repealed")] = issued, repealed
            values[(p, row, "in_force")] = state.in_force[row] = before + issued - repealed
        for row in ("licensing", "penalty", "coercion"):
            values[(p, row, "decisions")] = rng.randint(0, 600)
        values[(p, "fees", "amount")] = Decimal(rng.randint(0, 500000)) / 100
        return
    for row in ("regulations", "normative_documents"):
        made = rng.randint(0, 10)
        values[(p, row, "made")], values[(p, row, "published")] = made, rng.randint(0, made)
        values[(p, row, "total_public")] = rng.randint(made, made + 60)
    for row in ("licensing", "other_services", "penalty", "coercion", "fees"):
        previous = rng.randint(0, 80) if first else state.previous_items[row] + state.change[row]
        change = rng.randint(-min(previous, 5), 5)
        values[(p, row, "previous_items")], values[(p, row, "change")] = previous, change
        state.previous_items[row], state.change[row] = previous, change
        if row != "fees":
            values[(p, row, "decisions")] = rng.randint(0, 600)
    values[(p, "procurement", "purchase_items")] = rng.randint(0, 40)
    values[(p, "procurement", "purchase_amount")] = Decimal(rng.randint(0, 9000000)) / 100


def fill_totals(spec: FormatSpec, values: dict[CellPath, CellValue]) -> None:
    """Compute every total cell from its parts, in the order the format's rules need."""
    for table in spec.tables:
        for rule in total_rules(table):
            values[rule.target.path] = rule.expected(values)


# --- portal ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SynthPortal:
    """What ``write_portal`` wrote: the project folder and every report (in year order per agency)."""

    root: Path
    reports: tuple[Report, ...]

    @property
    def agencies(self) -> set[str]:
        return {r.agency.slug for r in self.reports}

    @property
    def years(self) -> set[int]:
        return {r.year for r in self.reports}

    def report_path(self, report: Report) -> Path:
        return self.root / report.display_path


def plan(n: int) -> list[tuple[int, int]]:
    """(agency index, year) for ``n`` reports: every agency reports for 2019–2024 in turn."""
    return [(i // len(YEARS), YEARS[i % len(YEARS)]) for i in range(n)]


def make_reports(n: int, seed: int = 2024) -> list[Report]:
    """``n`` valid reports; the same ``n`` and ``seed`` always give the same reports."""
    reports: list[Report] = []
    states: dict[int, _AgencyState] = {}
    for agency_index, year in plan(n):
        rng = random.Random(f"{seed}-{agency_index}-{year}")
        agency = agency_for(agency_index)
        spec = format_for_year(year)
        assert spec is not None
        first = agency_index not in states
        state = states.setdefault(agency_index, _AgencyState())
        first_of_format = first or (spec is FORMAT_2021 and year == FORMAT_2021.first_year)
        values: dict[CellPath, CellValue] = {}
        _proactive(spec, state, first_of_format, rng, values)
        _applications(spec, state, first, rng, values)
        _appeals(spec, rng, values)
        fill_totals(spec, values)
        display = f"{REPORTS_DIR}/{agency.slug}/{year}.yml"
        reports.append(Report(
            source=Path(display), display_path=display, agency=agency, year=year, format=spec,
            published=date(year + 1, 1, rng.randint(5, 31)),
            narrative=narrative_for(agency, year, rng, values), values=values,
            given_totals=frozenset(rule.target.path for t in spec.tables for rule in total_rules(t)),
        ))
    return reports


def write_reports(root: Path, reports: list[Report]) -> None:
    for report in reports:
        path = root / report.display_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(report_to_yaml(report, schema_ref=None), encoding="utf-8")


# --- project files --------------------------------------------------------------------

MAIN_CONFIG = Path(__file__).resolve().parent.parent / "mkdocs.yml"


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml with its !!python/name and !ENV tags kept as plain text."""


def _keep_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return _Tagged(node.tag, loader.construct_scalar(node))
    if isinstance(node, yaml.SequenceNode):
        return _Tagged(node.tag, loader.construct_sequence(node, deep=True))
    return _Tagged(node.tag, loader.construct_mapping(node, deep=True))


_LenientLoader.add_multi_constructor("", _keep_tag)


@dataclass(frozen=True)
class _Tagged:
    tag: str
    value: Any


def _dump_tagged(dumper: yaml.SafeDumper, data: _Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


yaml.SafeDumper.add_representer(_Tagged, _dump_tagged)

# Used when the main project has no mkdocs.yml yet; kept close to what it will declare.
DEFAULT_THEME: dict[str, Any] = {
    "name": "material",
    "language": "zh",
    "features": ["navigation.sections", "navigation.indexes", "navigation.top", "search.highlight",
                 "content.tooltips", "toc.follow"],
}
DEFAULT_PLUGINS: list[Any] = [{"search": {"lang": ["zh"]}}]
# The baseline's search: Material's own plugin, as the main project had it before gongkai indexed
# the site with Pagefind (jieba segments Chinese and joins words with U+200B).
BASELINE_SEARCH: dict[str, Any] = {"search": {"lang": "zh", "separator": "[\\s\\u200b\\-]"}}
DEFAULT_EXTENSIONS: list[Any] = ["attr_list", "md_in_html", "tables", "toc"]


def main_config() -> dict[str, Any]:
    """The main project's mkdocs.yml (tags kept as text), or {} while it does not exist."""
    if not MAIN_CONFIG.exists():
        return {}
    return yaml.load(MAIN_CONFIG.read_text(encoding="utf-8"), Loader=_LenientLoader) or {}


def _plugin_name(entry: Any) -> str:
    return entry if isinstance(entry, str) else next(iter(entry))


def _absolute_theme(theme: Any) -> Any:
    """The theme section with ``custom_dir`` pointing at the main project's folder."""
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme = dict(theme, custom_dir=str((MAIN_CONFIG.parent / theme["custom_dir"]).resolve()))
    return theme


def site_config(gongkai: bool, plugin_options: dict[str, Any] | None = None) -> dict[str, Any]:
    """mkdocs.yml of a synthetic project: the main project's theme, features and extensions.

    ``gongkai=False`` gives the baseline: the same configuration without the gongkai plugin.
    """
    main = main_config()
    plugins = []
    for entry in main.get("plugins", DEFAULT_PLUGINS):
        if _plugin_name(entry) == "gongkai":
            continue
        plugins.append(entry)
    if not gongkai and not any(_plugin_name(e) in ("search", "material/search") for e in plugins):
        plugins.insert(0, BASELINE_SEARCH)
    if gongkai:
        options = dict(next((e["gongkai"] for e in main.get("plugins", []) if isinstance(e, dict) and "gongkai" in e),
                            {}) or {})
        options.update(plugin_options or {})
        plugins.append({"gongkai": options} if options else "gongkai")
    config: dict[str, Any] = {
        "site_name": SITE_NAME,
        "docs_dir": DOCS_DIR,
        "theme": _absolute_theme(main.get("theme", DEFAULT_THEME)),
        "plugins": plugins,
        "markdown_extensions": main.get("markdown_extensions", DEFAULT_EXTENSIONS),
    }
    for key in ("extra", "extra_css", "extra_javascript", "use_directory_urls", "validation"):
        if key in main:
            config[key] = main[key]
    return config


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _copy_extra_files(root: Path, config: dict[str, Any]) -> None:
    """extra_css / extra_javascript files the main project keeps in its docs folder, and the files
    its gongkai options name there (the footer's images, ``site_info``)."""
    main_docs = MAIN_CONFIG.parent / str(main_config().get("docs_dir", "docs"))
    options = [e["gongkai"] for e in config.get("plugins", []) if isinstance(e, dict) and "gongkai" in e]
    named = [name for name in _strings(options) if "/" in name and (main_docs / name).is_file()]
    for key in ("extra_css", "extra_javascript", "gongkai"):
        for entry in (named if key == "gongkai" else config.get(key, [])):
            name = entry if isinstance(entry, str) else entry.get("path", "") if isinstance(entry, dict) else ""
            source = main_docs / name
            if name and not re.match(r"^[a-z]+://", name) and source.is_file():
                target = root / DOCS_DIR / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(source.read_bytes())


def write_config(root: Path, config: dict[str, Any]) -> Path:
    path = root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    _copy_extra_files(root, config)
    return path


INDEX_MD = f"# {SITE_NAME}\n\n本站为基准测试生成的示例门户，所有机关和数字均为虚构。\n"


def write_portal(root: Path, n: int, seed: int = 2024, plugin_options: dict[str, Any] | None = None) -> SynthPortal:
    """A gongkai project with ``n`` synthetic reports under ``root``."""
    reports = make_reports(n, seed)
    write_reports(root, reports)
    (root / DOCS_DIR).mkdir(parents=True, exist_ok=True)
    (root / DOCS_DIR / "index.md").write_text(INDEX_MD, encoding="utf-8")
    write_config(root, site_config(gongkai=True, plugin_options=plugin_options))
    return SynthPortal(root=root, reports=tuple(reports))


# --- baseline: the same pages as plain Markdown --------------------------------------


def _fallback_table(report: Report, table: TableSpec) -> str:
    """An HTML table with the official headers, for when gongkai's renderer is not there yet."""
    out = ['<table class="gongkai-table">']
    for block in table.blocks:
        leaves = [(c, ancestors) for column in block.columns for c, ancestors in _leaves_with_group(column)]
        out.append("<thead><tr>")
        out.append(f'<th>{html.escape(block.label or block.row_header_label or table.corner_label)}</th>')
        out.extend(f"<th>{html.escape(' › '.join([*ancestors, c.label]))}</th>" for c, ancestors in leaves)
        out.append("</tr></thead><tbody>")
        for b, leaf in table.leaf_rows():
            if b is not block:
                continue
            out.append(f"<tr><th scope=\"row\">{html.escape(' › '.join(leaf.label_path))}</th>")
            for column, _ in leaves:
                value = report.values[(table.key,) + leaf.path + (column.key,)]
                out.append(f"<td>{value}</td>")
            out.append("</tr>")
        out.append("</tbody>")
    out.append("</table>")
    return "\n".join(out)


def _leaves_with_group(column: Any, ancestors: tuple[str, ...] = ()) -> Any:
    if column.children:
        for child in column.children:
            yield from _leaves_with_group(child, ancestors + (column.label,))
    else:
        yield column, ancestors


def table_renderer() -> Callable[[Report, TableSpec], str]:
    """gongkai's own table renderer when it exists, else the stand-in above."""
    try:
        from gongkai.rendering.tables import render_table  # type: ignore[import-not-found]
    except ImportError:
        return _fallback_table
    return lambda report, table: str(render_table(report, table))


URL_PREFIX = "reports"  # where both sites put the report pages: reports/<agency>/<year>/


def baseline_markdown(report: Report, render: Callable[[Report, TableSpec], str]) -> str:
    """The report page as a plain Markdown page: title, dates, the six sections, tables as HTML."""
    out = [f"# {report.title}\n",
           f"发布日期：{report.published.isoformat()} · 报告格式：{report.format.document}\n",
           f"[{report.agency.name}历年报告](index.md) · [{report.year}年度全部报告](../{report.year}/index.md)\n"]
    for section in report.format.sections:
        out.append(f"## {section.title}\n")
        if section.table is not None:
            out.append(render(report, section.table) + "\n")
        else:
            out.append(report.narrative.get(section.key, "") + "\n")
    return "\n".join(out)


def _listing(rows: list[tuple[str, str, Report]]) -> str:
    lines = ["| 机关 | 报告 | 发布日期 |", "| --- | --- | --- |"]
    lines += [f"| {name} | [{r.year}年度报告]({link}) | {r.published.isoformat()} |" for name, link, r in rows]
    return "\n".join(lines) + "\n"


NAV_AGENCIES_MAX = 30  # the plugin's default nav_agencies_max


def write_baseline(root: Path, reports: tuple[Report, ...] | list[Report]) -> Path:
    """A plain MkDocs + Material project with the pages gongkai generates, written as Markdown.

    Same pages (one per report, one per year, one per agency, one index) at the same URLs, and
    the same navigation (home, index, years, agencies; report pages left out of the nav).
    """
    render = table_renderer()
    docs = root / DOCS_DIR
    prefix = docs / URL_PREFIX
    prefix.mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text(INDEX_MD, encoding="utf-8")
    by_agency: dict[str, list[Report]] = {}
    by_year: dict[int, list[Report]] = {}
    for report in reports:
        by_agency.setdefault(report.agency.slug, []).append(report)
        by_year.setdefault(report.year, []).append(report)
        page = prefix / report.agency.slug / f"{report.year}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(baseline_markdown(report, render), encoding="utf-8")
    for slug, own in by_agency.items():
        rows = [(r.agency.name, f"{r.year}.md", r) for r in sorted(own, key=lambda r: -r.year)]
        (prefix / slug / "index.md").write_text(f"# {own[0].agency.name}\n\n" + _listing(rows), encoding="utf-8")
    years = sorted(by_year, reverse=True)
    index = [f"# 全部年度报告\n\n共收录 {len(by_agency)} 个机关的 {len(reports)} 份年度报告。\n"]
    for year in years:
        own = sorted(by_year[year], key=lambda r: r.agency.slug)
        page = prefix / str(year) / "index.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"# {year}年度报告\n\n" + _listing(
            [(r.agency.name, f"../{r.agency.slug}/{year}.md", r) for r in own]), encoding="utf-8")
        index.append(f"## {year}年度\n\n" + _listing([(r.agency.name, f"{r.agency.slug}/{year}.md", r) for r in own]))
    index.append("## 按机关\n\n" + "\n".join(
        f"- [{own[0].agency.name}]({slug}/index.md)（{len(own)} 份）" for slug, own in sorted(by_agency.items())))
    (prefix / "index.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    directory = ["# 按机关查看年度报告\n", "| 机关 | 报告份数 | 各年度报告 |", "| --- | --- | --- |"]
    for slug, own in sorted(by_agency.items()):
        years_links = " · ".join(f"[{r.year}]({slug}/{r.year}.md)" for r in sorted(own, key=lambda r: -r.year))
        directory.append(f"| [{own[0].agency.name}]({slug}/index.md) | {len(own)} | {years_links} |")
    (prefix / "agencies.md").write_text("\n".join(directory) + "\n", encoding="utf-8")
    # The same navigation as the plugin's: agencies one by one up to NAV_AGENCIES_MAX, else the directory.
    agencies_nav: Any = f"{URL_PREFIX}/agencies.md"
    if len(by_agency) <= NAV_AGENCIES_MAX:
        agencies_nav = [{"全部机关": agencies_nav}] + [{own[0].agency.name: f"{URL_PREFIX}/{slug}/index.md"}
                                                    for slug, own in sorted(by_agency.items())]
    config = site_config(gongkai=False)
    config["nav"] = [
        {"首页": "index.md"},
        {"年度报告": [
            f"{URL_PREFIX}/index.md",
            {"按年度": [{f"{year}年度": f"{URL_PREFIX}/{year}/index.md"} for year in years]},
            {"按机关": agencies_nav},
        ]},
    ]
    config["not_in_nav"] = f"/{URL_PREFIX}/*/20*.md"
    return write_config(root, config)
