"""The two national formats, declared once: every row, column and official label.

Sources: 国办公开办函〔2021〕30号 (reports for 2021 onwards) and
国办公开办函〔2019〕60号 (reports for 2019 and 2020).
"""

from __future__ import annotations

from .spec import Balance, Block, CarryOver, Column, FormatSpec, Kind, Row, RunningCount, Section, TableSpec

# --- shared labels -------------------------------------------------------------------

SECTION_OVERVIEW = "一、总体情况"
SECTION_PROACTIVE = "二、主动公开政府信息情况"
SECTION_APPLICATIONS = "三、收到和处理政府信息公开申请情况"
SECTION_APPEALS = "四、政府信息公开行政复议、行政诉讼情况"
SECTION_PROBLEMS = "五、存在的主要问题及改进情况"
SECTION_OTHER = "六、其他需要报告的事项"

ROW_HEADER = "信息内容"

# --- table 二 -------------------------------------------------------------------------


def _proactive_2021() -> TableSpec:
    decisions = Column("decisions", "本年处理决定数量")
    return TableSpec(
        key="proactive",
        number="二",
        title=SECTION_PROACTIVE,
        blocks=(
            Block(
                "article_20_1",
                "第二十条第（一）项",
                columns=(
                    Column("issued", "本年制发件数"),
                    Column("repealed", "本年废止件数"),
                    Column("in_force", "现行有效件数"),
                ),
                rows=(Row("regulations", "规章"), Row("normative_documents", "行政规范性文件")),
            ),
            Block("article_20_5", "第二十条第（五）项", columns=(decisions,), rows=(Row("licensing", "行政许可"),)),
            Block(
                "article_20_6",
                "第二十条第（六）项",
                columns=(decisions,),
                rows=(Row("penalty", "行政处罚"), Row("coercion", "行政强制")),
            ),
            Block(
                "article_20_8",
                "第二十条第（八）项",
                columns=(Column("amount", "本年收费金额（单位：万元）", Kind.AMOUNT),),
                rows=(Row("fees", "行政事业性收费"),),
            ),
        ),
    )


def _proactive_2019() -> TableSpec:
    previous = Column("previous_items", "上一年项目数量")
    change = Column("change", "本年增/减", Kind.SIGNED)
    decisions = Column("decisions", "处理决定数量")
    return TableSpec(
        key="proactive",
        number="二",
        title=SECTION_PROACTIVE,
        blocks=(
            Block(
                "article_20_1",
                "第二十条第（一）项",
                columns=(
                    Column("made", "本年新制作数量"),
                    Column("published", "本年新公开数量"),
                    Column("total_public", "对外公开总数量"),
                ),
                rows=(Row("regulations", "规章"), Row("normative_documents", "规范性文件")),
            ),
            Block(
                "article_20_5",
                "第二十条第（五）项",
                columns=(previous, change, decisions),
                rows=(Row("licensing", "行政许可"), Row("other_services", "其他对外管理服务事项")),
            ),
            Block(
                "article_20_6",
                "第二十条第（六）项",
                columns=(previous, change, decisions),
                rows=(Row("penalty", "行政处罚"), Row("coercion", "行政强制")),
            ),
            Block(
                "article_20_8",
                "第二十条第（八）项",
                columns=(previous, change),
                rows=(Row("fees", "行政事业性收费"),),
            ),
            Block(
                "article_20_9",
                "第二十条第（九）项",
                columns=(
                    Column("purchase_items", "采购项目数量"),
                    Column("purchase_amount", "采购总金额（单位：万元）", Kind.AMOUNT),
                ),
                rows=(Row("procurement", "政府集中采购"),),
            ),
        ),
    )


# --- table 三 -------------------------------------------------------------------------

APPLICANT_COLUMNS: tuple[Column, ...] = (
    Column("natural_person", "自然人"),
    Column(
        "legal_person",
        "法人或其他组织",
        children=(
            Column("commercial", "商业企业"),
            Column("research", "科研机构"),
            Column("public_interest", "社会公益组织"),
            Column("legal_services", "法律服务机构"),
            Column("other", "其他"),
        ),
    ),
    Column("total", "总计", is_total=True),
)

APPLICATIONS_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

_WITHHELD = Row(
    "withheld",
    "（三）不予公开",
    children=(
        Row("state_secret", "1.属于国家秘密"),
        Row("prohibited_by_law", "2.其他法律行政法规禁止公开"),
        Row("endangers_safety", "3.危及“三安全一稳定”"),
        Row("third_party", "4.保护第三方合法权益"),
        Row("internal_affairs", "5.属于三类内部事务信息"),
        Row("process_information", "6.属于四类过程性信息"),
        Row("enforcement_files", "7.属于行政执法案卷"),
        Row("query_matters", "8.属于行政查询事项"),
    ),
)
_UNAVAILABLE = Row(
    "unavailable",
    "（四）无法提供",
    children=(
        Row("not_held", "1.本机关不掌握相关政府信息"),
        Row("needs_creation", "2.没有现成信息需要另行制作"),
        Row("still_unclear", "3.补正后申请内容仍不明确"),
    ),
)
_NOT_PROCESSED = Row(
    "not_processed",
    "（五）不予处理",
    children=(
        Row("petitions", "1.信访举报投诉类申请"),
        Row("repeated", "2.重复申请"),
        Row("publications", "3.要求提供公开出版物"),
        Row("excessive", "4.无正当理由大量反复申请"),
        Row("confirmation", "5.要求行政机关确认或重新出具已获取信息"),
    ),
)
_OTHER_HANDLING_2021 = Row(
    "other_handling",
    "（六）其他处理",
    children=(
        Row("no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        Row("no_fee_paid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        Row("other", "3.其他"),
    ),
)
_OTHER_HANDLING_2019 = Row("other_handling", "（六）其他处理")


def _applications(other_handling: Row) -> TableSpec:
    results = Row(
        "results",
        "三、本年度办理结果",
        in_label_path=False,
        children=(
            Row("disclosed", "（一）予以公开"),
            Row("partially_disclosed", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
            _WITHHELD,
            _UNAVAILABLE,
            _NOT_PROCESSED,
            other_handling,
            Row("total", "（七）总计", is_total=True),
        ),
    )
    return TableSpec(
        key="applications",
        number="三",
        title=SECTION_APPLICATIONS,
        corner_label=APPLICATIONS_NOTE,
        blocks=(
            Block(
                "applications",
                "申请人情况",
                columns=APPLICANT_COLUMNS,
                rows=(
                    Row("received", "一、本年新收政府信息公开申请数量"),
                    Row("carried_over", "二、上年结转政府信息公开申请数量"),
                    results,
                    Row("carried_forward", "四、结转下年度继续办理"),
                ),
                row_header_label="",
            ),
        ),
    )


# --- table 四 -------------------------------------------------------------------------

OUTCOME_COLUMNS: tuple[Column, ...] = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
    Column("total", "总计", is_total=True),
)


def _appeals() -> TableSpec:
    """Table 四: one line of 15 cells; each YAML row is one header group of five outcomes."""
    return TableSpec(
        key="appeals",
        number="四",
        title=SECTION_APPEALS,
        blocks=(
            Block(
                "appeals",
                "",
                columns=OUTCOME_COLUMNS,
                rows=(
                    Row("review", "行政复议"),
                    Row(
                        "litigation",
                        "行政诉讼",
                        children=(
                            Row("direct", "未经复议直接起诉"),
                            Row("after_review", "复议后起诉"),
                        ),
                    ),
                ),
                row_header_label="",
            ),
        ),
        layout="single-line",
    )


# --- the formats ----------------------------------------------------------------------


def _sections(proactive: TableSpec, applications: TableSpec) -> tuple[Section, ...]:
    return (
        Section("一", SECTION_OVERVIEW, "overview"),
        Section("二", SECTION_PROACTIVE, "proactive", proactive),
        Section("三", SECTION_APPLICATIONS, "applications", applications),
        Section("四", SECTION_APPEALS, "appeals", _appeals()),
        Section("五", SECTION_PROBLEMS, "problems"),
        Section("六", SECTION_OTHER, "other_matters"),
    )


# --- relations ---------------------------------------------------------------------------

# Table 三, every column: 第一项 + 第二项 = 第三项（七）总计 + 第四项 (the note above the table).
APPLICATIONS_BALANCE = Balance(
    "applications-balance",
    "applications",
    left=(("received", ("received",)), ("carried_over", ("carried_over",))),
    right=(("handled", ("results", "total")), ("carried_forward", ("carried_forward",))),
    at=("results", "total"),
)
# 二、上年结转 this year is last year's 四、结转下年度继续办理 (the same in both formats).
APPLICATIONS_CARRY_OVER = CarryOver("carry-over-mismatch", "applications", row=("carried_over",),
                                    source=("carried_forward",))

FORMAT_2021 = FormatSpec(
    version="2021",
    document="国办公开办函〔2021〕30号",
    first_year=2021,
    last_year=None,
    sections=_sections(_proactive_2021(), _applications(_OTHER_HANDLING_2021)),
    relations=(
        APPLICATIONS_BALANCE,
        APPLICATIONS_CARRY_OVER,
        # 现行有效件数 = last year's 现行有效件数 + 本年制发件数 − 本年废止件数
        RunningCount("in-force-continuity", "proactive", "in_force", last=(("in_force", +1),),
                     this=(("issued", +1), ("repealed", -1))),
    ),
)

FORMAT_2019 = FormatSpec(
    version="2019",
    document="国办公开办函〔2019〕60号",
    first_year=2019,
    last_year=2020,
    sections=_sections(_proactive_2019(), _applications(_OTHER_HANDLING_2019)),
    relations=(
        APPLICATIONS_BALANCE,
        APPLICATIONS_CARRY_OVER,
        # 上一年项目数量 = last year's 上一年项目数量 + last year's 本年增/减
        RunningCount("previous-items-continuity", "proactive", "previous_items",
                     last=(("previous_items", +1), ("change", +1))),
    ),
)

FORMATS: dict[str, FormatSpec] = {f.version: f for f in (FORMAT_2021, FORMAT_2019)}
CURRENT_FORMAT = FORMAT_2021  # for reports whose year is not known yet (the sections are the same in both)


def format_for_year(year: int) -> FormatSpec | None:
    """The format a report for ``year`` must use, or None before 2019."""
    for spec in FORMATS.values():
        if spec.covers(year):
            return spec
    return None
