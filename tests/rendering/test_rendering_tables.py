"""The official tables render as the national format lays them out, and every number is findable."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment, PackageLoader

from gongkai.collection import load_portal
from gongkai.formats import FORMAT_2019, FORMAT_2021, Block, CellSpec, Column, FormatSpec, Kind, Row, TableSpec
from gongkai.model import Agency, Report
from gongkai.rendering import format_value, render_table

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "reports" / "shifan-zhen" / "2024.yml"
VALID_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
PREFIXES = {"二": "t2-", "三": "t3-", "四": "t4-"}


# --- a tiny HTML table reader -----------------------------------------------------------


@dataclass
class Cell:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    row: int = 0  # first grid row and column, filled in by place()
    col: int = 0
    section: int = 0

    @property
    def colspan(self) -> int:
        return int(self.attrs.get("colspan", "1"))

    @property
    def rowspan(self) -> int:
        return int(self.attrs.get("rowspan", "1"))

    @property
    def headers(self) -> list[str]:
        return self.attrs.get("headers", "").split()

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()


@dataclass
class Table:
    attrs: dict[str, str]
    wrapper: dict[str, str]
    caption: str = ""
    caption_id: str = ""
    sections: list[tuple[str, list[list[Cell]]]] = field(default_factory=list)  # (thead/tbody, rows)

    @property
    def cells(self) -> list[Cell]:
        return [cell for _, rows in self.sections for row in rows for cell in row]

    @property
    def th_by_id(self) -> dict[str, Cell]:
        return {cell.attrs["id"]: cell for cell in self.cells if cell.tag == "th"}

    @property
    def data(self) -> dict[str, Cell]:
        return {cell.attrs["data-cell"]: cell for cell in self.cells if "data-cell" in cell.attrs}


class TableReader(HTMLParser):
    """Collects every table with its wrapper, caption, row groups, rows and cells."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[Table] = []
        self.ids: list[str] = []
        self._wrapper: dict[str, str] = {}
        self._cell: Cell | None = None
        self._in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if "id" in found:
            self.ids.append(found["id"])
        if tag == "div":
            self._wrapper = found
        elif tag == "table":
            self.tables.append(Table(found, self._wrapper))
        elif tag == "caption":
            self._in_caption = True
            self.tables[-1].caption_id = found.get("id", "")
        elif tag in ("thead", "tbody"):
            self.tables[-1].sections.append((tag, []))
        elif tag == "tr":
            self.tables[-1].sections[-1][1].append([])
        elif tag in ("th", "td"):
            self._cell = Cell(tag, found)
            self.tables[-1].sections[-1][1][-1].append(self._cell)

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self._in_caption = False
        elif tag in ("th", "td"):
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._in_caption:
            self.tables[-1].caption += data
        elif self._cell is not None:
            self._cell.text += data


def read(html: str) -> TableReader:
    reader = TableReader()
    reader.feed(html)
    return reader


def place(table: Table) -> list[int]:
    """Lays cells on the grid as browsers do (rowspans stay inside their row group); returns row widths."""
    widths: list[int] = []
    top = 0
    for number, (_, rows) in enumerate(table.sections):
        taken: set[tuple[int, int]] = set()
        for r, row in enumerate(rows):
            c = 0
            for cell in row:
                while (r, c) in taken:
                    c += 1
                cell.row, cell.col, cell.section = top + r, c, number
                for dr in range(min(cell.rowspan, len(rows) - r)):
                    for dc in range(cell.colspan):
                        taken.add((r + dr, c + dc))
                c += cell.colspan
        widths.extend(len({c for (r2, c) in taken if r2 == r}) for r in range(len(rows)))
        top += len(rows)
    return widths


# --- reports --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> Report:
    portal = load_portal([SAMPLE])
    assert portal.ok, portal.findings
    (report,) = portal.reports
    return report


def numbered_report(spec: FormatSpec) -> Report:
    """Every cell a different number, so a number found in the wrong cell cannot pass."""
    values: dict = {}
    for n, cell in enumerate((c for t in spec.tables for c in t.cells()), start=1):
        values[cell.path] = Decimal(f"{n}.50") if cell.column.kind == Kind.AMOUNT else n
    return Report(
        source=Path("numbered.yml"), display_path="numbered.yml", agency=Agency("shifan", "示例机关"),
        year=spec.first_year, format=spec, published=date(spec.first_year + 1, 1, 20), narrative={}, values=values,
    )


FORMATS = pytest.mark.parametrize("spec", [FORMAT_2021, FORMAT_2019], ids=lambda s: s.version)


def rendered(report: Report, table: TableSpec) -> Table:
    reader = read(render_table(report, table, id_prefix=PREFIXES[table.number]))
    (parsed,) = reader.tables
    return parsed


def official_parts(cell: CellSpec) -> list[str]:
    return cell.label.split(" › ")


# --- every number in its official cell -----------------------------------------------------


def assert_cells_in_place(report: Report, table: TableSpec) -> int:
    parsed = rendered(report, table)
    place(parsed)
    th, data = parsed.th_by_id, parsed.data
    for cell in table.cells():
        td = data[".".join(cell.path)]
        assert td.text == format_value(report.value(cell)), cell.label
        parts = official_parts(cell)
        assert parts[0] == parsed.caption
        texts = {th[i].text for i in td.headers}
        assert set(parts[1:]) <= texts, f"{cell.label}: headers say {sorted(texts)}"
        # Nothing else but groups the official label leaves out (三、本年度办理结果, 申请人情况).
        allowed = set(parts) | {cell.block.label} | {row.label for row in cell.row.ancestors}
        assert texts <= allowed, f"{cell.label}: unexpected headers {sorted(texts - allowed)}"
        for header in (th[i] for i in td.headers):
            spans_column = header.col <= td.col and header.col + header.colspan >= td.col + td.colspan
            above = header.row < td.row and spans_column
            beside = header.col < td.col and header.row <= td.row < header.row + header.rowspan
            assert above or beside, f"{cell.label}: header {header.text} is not above or beside its cell"
    assert len(data) == len(list(table.cells()))
    return len(data)


def test_every_number_of_the_sample_report_sits_in_its_official_cell(sample: Report) -> None:
    assert sum(assert_cells_in_place(sample, table) for table in sample.format.tables) == 200


@FORMATS
def test_every_cell_of_either_format_sits_under_its_official_labels(spec: FormatSpec) -> None:
    report = numbered_report(spec)
    total = sum(assert_cells_in_place(report, table) for table in spec.tables)
    assert total == sum(1 for table in spec.tables for _ in table.cells())


# --- a correct, accessible data table --------------------------------------------------------


@FORMATS
def test_the_grid_is_rectangular(spec: FormatSpec) -> None:
    report = numbered_report(spec)
    for table in spec.tables:
        widths = place(rendered(report, table))
        assert len(set(widths)) == 1, f"{table.title}: row widths {widths}"


@FORMATS
def test_ids_are_unique_ascii_and_every_headers_reference_exists(spec: FormatSpec) -> None:
    report = numbered_report(spec)
    html = "\n".join(render_table(report, t, id_prefix=PREFIXES[t.number]) for t in spec.tables)
    reader = read(html)
    assert len(reader.ids) == len(set(reader.ids))
    assert all(VALID_ID.match(i) for i in reader.ids), [i for i in reader.ids if not VALID_ID.match(i)]
    for parsed in reader.tables:
        th = parsed.th_by_id
        assert all(cell.attrs.get("id") for cell in parsed.cells if cell.tag == "th")
        for td in (cell for cell in parsed.cells if cell.tag == "td"):
            assert td.headers and set(td.headers) <= set(th), td.attrs


@FORMATS
def test_every_header_has_a_scope_and_describes_some_cell(spec: FormatSpec) -> None:
    report = numbered_report(spec)
    for table in spec.tables:
        parsed = rendered(report, table)
        referenced = {i for td in parsed.cells if td.tag == "td" for i in td.headers}
        for th in (cell for cell in parsed.cells if cell.tag == "th"):
            assert th.attrs["scope"] in {"col", "colgroup", "row"}
            assert th.attrs["id"] in referenced or th.attrs["scope"] == "col", th.text


def test_captions_name_the_section_and_label_a_focusable_scroll_region(sample: Report) -> None:
    for table in sample.format.tables:
        parsed = rendered(sample, table)
        assert parsed.caption == table.title
        assert parsed.caption_id == f"{PREFIXES[table.number]}caption"
        assert parsed.wrapper["role"] == "region"
        assert parsed.wrapper["aria-labelledby"] == parsed.caption_id
        assert parsed.wrapper["tabindex"] == "0"
        assert "gk-table-scroll" in parsed.wrapper["class"].split()


def test_row_groups_follow_the_official_layout(sample: Report) -> None:
    proactive, applications, appeals = (rendered(sample, t) for t in sample.format.tables)
    assert [kind for kind, _ in proactive.sections] == ["tbody"] * len(sample.format.table("proactive").blocks)
    assert [kind for kind, _ in applications.sections] == ["thead", "tbody"]
    assert [kind for kind, _ in appeals.sections] == ["thead", "tbody"]


@pytest.mark.parametrize("trim", [True, False], ids=["trimmed", "plain"])
def test_html_has_no_blank_line_so_markdown_keeps_it_one_block(sample: Report, trim: bool) -> None:
    env = Environment(loader=PackageLoader("gongkai", "templates"), autoescape=True,
                      trim_blocks=trim, lstrip_blocks=trim)
    for table in sample.format.tables:
        html = render_table(sample, table, environment=env)
        assert "\n\n" not in html and html.startswith("<div") and html.rstrip().endswith("</div>")
        assert len(read(html).tables[0].data) == len(list(table.cells()))


# --- table by table --------------------------------------------------------------------------


@FORMATS
def test_table_two_blocks_stretch_their_columns_to_one_grid(spec: FormatSpec) -> None:
    table = spec.table("proactive")
    parsed = rendered(numbered_report(spec), table)
    width = max(place(parsed))
    for block, (_, rows) in zip(table.blocks, parsed.sections):
        (label,) = rows[0]
        assert label.text == block.label and label.colspan == width and label.attrs["scope"] == "colgroup"
        assert [c.text for c in rows[1]] == [block.row_header_label] + [c.label for c in block.columns]


def test_table_two_of_the_2019_format_shows_its_own_columns() -> None:
    parsed = rendered(numbered_report(FORMAT_2019), FORMAT_2019.table("proactive"))
    texts = [cell.text for cell in parsed.cells if cell.tag == "th"]
    for label in ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减",
                  "处理决定数量", "其他对外管理服务事项", "采购项目数量", "采购总金额（单位：万元）", "政府集中采购"):
        assert label in texts
    assert "本年制发件数" not in texts


def test_table_three_headers_nest_as_on_the_form(sample: Report) -> None:
    parsed = rendered(sample, sample.format.table("applications"))
    (_, head), _ = parsed.sections
    assert [(c.text, c.colspan, c.rowspan) for c in head[0]] == [
        (sample.format.table("applications").corner_label, 3, 3), ("申请人情况", 7, 1)]
    assert [(c.text, c.colspan, c.rowspan) for c in head[1]] == [("自然人", 1, 2), ("法人或其他组织", 5, 1), ("总计", 1, 2)]
    assert [c.text for c in head[2]] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    secret = parsed.data["applications.results.withheld.state_secret.commercial"]
    assert sorted(parsed.th_by_id[i].text for i in secret.headers) == sorted(
        ["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密", "申请人情况", "法人或其他组织", "商业企业"])


def test_table_three_row_headers_span_their_groups(sample: Report) -> None:
    parsed = rendered(sample, sample.format.table("applications"))
    th = parsed.th_by_id
    assert (th["t3-row-received"].colspan, th["t3-row-carried_forward"].colspan) == (3, 3)
    assert th["t3-row-results"].rowspan == 2 + 8 + 3 + 5 + 3 + 1
    assert (th["t3-row-results-withheld"].rowspan, th["t3-row-results-other_handling"].rowspan) == (8, 3)
    assert th["t3-row-results-total"].colspan == 2


def test_table_three_of_the_2019_format_has_a_single_other_handling_row() -> None:
    parsed = rendered(numbered_report(FORMAT_2019), FORMAT_2019.table("applications"))
    other = parsed.th_by_id["t3-row-results-other_handling"]
    assert (other.text, other.colspan, other.rowspan) == ("（六）其他处理", 2, 1)
    assert "applications.results.other_handling.natural_person" in parsed.data
    assert not [i for i in parsed.th_by_id if i.startswith("t3-row-results-other_handling-")]
    assert parsed.th_by_id["t3-row-results"].rowspan == 2 + 8 + 3 + 5 + 1 + 1


def test_totals_are_marked_for_styling(sample: Report) -> None:
    for table in sample.format.tables:
        parsed = rendered(sample, table)
        for cell in table.cells():
            td = parsed.data[".".join(cell.path)]
            assert "gk-num" in td.classes
            assert ("gk-total" in td.classes) == cell.is_total, cell.label
    th = rendered(sample, sample.format.table("applications")).th_by_id
    assert "gk-total" in th["t3-col-total"].classes and "gk-total" in th["t3-row-results-total"].classes


@FORMATS
def test_table_four_is_one_line_under_three_levels_of_headers(spec: FormatSpec) -> None:
    parsed = rendered(numbered_report(spec), spec.table("appeals"))
    (_, head), (_, body) = parsed.sections
    assert [[c.text for c in row] for row in head[:1]] == [["行政复议", "行政诉讼"]]
    assert [(c.colspan, c.rowspan) for c in head[0]] == [(5, 1), (10, 1)]
    assert [c.text for c in head[1]] == [
        "结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"]
    assert [c.rowspan for c in head[1][:5]] == [2] * 5 and [c.colspan for c in head[1][5:]] == [5, 5]
    assert len(head[2]) == 10
    (line,) = body
    assert len(line) == 15 and all(c.tag == "td" for c in line)
    th = parsed.th_by_id
    direct = parsed.data["appeals.litigation.direct.upheld"]
    assert [th[i].text for i in direct.headers] == ["行政诉讼", "未经复议直接起诉", "结果维持"]
    review = parsed.data["appeals.review.total"]
    assert [th[i].text for i in review.headers] == ["行政复议", "总计"]


# --- numbers, ids and templates --------------------------------------------------------------


@pytest.mark.parametrize(("value", "shown"), [
    (0, "0"), (290, "290"), (-2, "-2"),
    (Decimal("12.50"), "12.5"), (Decimal("0"), "0"), (Decimal("0.00"), "0"), (Decimal("-0"), "0"),
    (Decimal("94.87"), "94.87"), (Decimal("100"), "100"), (Decimal("1E+2"), "100"), (Decimal("3.000"), "3"),
])
def test_numbers_print_without_trailing_noise(value: int | Decimal, shown: str) -> None:
    assert format_value(value) == shown


def test_amounts_render_trimmed_in_their_cell() -> None:
    report = numbered_report(FORMAT_2019)
    path = ("proactive", "procurement", "purchase_amount")
    report.values[path] = Decimal("12.50")
    parsed = rendered(report, FORMAT_2019.table("proactive"))
    assert parsed.data["proactive.procurement.purchase_amount"].text == "12.5"


def test_without_a_prefix_ids_are_still_valid(sample: Report) -> None:
    reader = read(render_table(sample, sample.format.table("applications")))
    assert reader.tables[0].caption_id == "caption"
    assert all(VALID_ID.match(i) for i in reader.ids)


@pytest.mark.parametrize("prefix", ["3t-", "t 3", "表三-"])
def test_a_prefix_that_would_make_invalid_ids_is_refused(sample: Report, prefix: str) -> None:
    with pytest.raises(ValueError):
        render_table(sample, sample.format.table("applications"), id_prefix=prefix)


def test_a_site_can_override_the_markup(sample: Report) -> None:
    override = "<p>{{ table.caption }}|{{ table.bodies|length }}</p>"
    env = Environment(loader=DictLoader({"tables/table.html": override}), autoescape=True)
    html = render_table(sample, sample.format.table("proactive"), environment=env)
    assert html == "<p>二、主动公开政府信息情况|4</p>"


def test_an_override_may_write_each_number_anywhere_escaped_or_not(sample: Report) -> None:
    override = ("{% for body in table.bodies %}{% for row in body %}{% for cell in row %}{% if cell.path is defined %}"
                "[{{ cell.path }}={{ cell.text }}|{{ cell.text|e }}]{% endif %}{% endfor %}{% endfor %}{% endfor %}")
    report = numbered_report(FORMAT_2019)
    path = ("proactive", "procurement", "purchase_amount")
    report.values[path] = "<1&2>"  # not a number a parsed report could hold, but a value all the same
    for autoescape in (True, False):
        env = Environment(loader=DictLoader({"tables/table.html": override}), autoescape=autoescape)
        html = render_table(report, FORMAT_2019.table("proactive"), environment=env)
        raw = "&lt;1&amp;2&gt;" if autoescape else "<1&2>"
        assert f"[proactive.procurement.purchase_amount={raw}|&lt;1&amp;2&gt;]" in html
        assert "[proactive.regulations.made=1|1]" in html


def test_a_changed_override_is_picked_up(sample: Report) -> None:
    templates = {"tables/table.html": "<p>{{ table.caption }}</p>"}
    env = Environment(loader=DictLoader(templates), autoescape=True)
    table = sample.format.table("appeals")
    assert render_table(sample, table, environment=env) == f"<p>{table.title}</p>"
    templates["tables/table.html"] = "<p>{{ table.caption_id }}</p>"
    assert render_table(sample, table, environment=env) == "<p>caption</p>"


def test_labels_are_escaped_whatever_the_format_declares() -> None:
    table = TableSpec(key="odd", number="五", title="<i>表</i>", blocks=(Block(
        "only", "a&b", columns=(Column("n", "<b>列</b>"),), rows=(Row("r", "行\"<"),)),))
    report = numbered_report(FORMAT_2021)
    report.values[("odd", "r", "n")] = 7
    html = render_table(report, table)
    assert "<i>" not in html and "<b>" not in html and "&lt;b&gt;列&lt;/b&gt;" in html
    parsed = read(html).tables[0]
    assert parsed.caption == "<i>表</i>" and parsed.data["odd.r.n"].text == "7"
