"""Write the corpus variants (run once; the files and their cases are committed).

    .venv/bin/python tests/corpus/make_variants.py

Each variant lays out the hand-recorded numbers of a real report (``cases.json`` of the shared
corpus) the way agencies publish them, with one kind of messiness each: PDFs made with
reportlab, text extracted from PDFs, web pages as copied, Word-exported HTML, a report in a
script string, blank and "/" cells, 2019 rows of table 三 in a later report, mistyped headings.
The numbers written to ``cases.json`` come from those hand-recorded lists, never from the importer.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "plugins"))

from layouts import (
    Doc,
    Grid,
    body_lines,
    build_doc,
    plain_html,
    with_blanks,
    word_html,
    write_docx,
    write_pdf,
)

SOURCES = HERE / "sources"
SHARED = json.loads((HERE / "shared-cases.json").read_text(encoding="utf-8"))
BY_FILE = {c["file"]: c for c in SHARED}

NARRATIVE_2021 = {
    "overview": ["2021年，我区坚持以人民为中心深化政务公开，聚焦企业和群众关注关切，不断拓展重点领域信息公开的广度与深度。",
                 "（一）主动公开方面。全年主动公开政府信息2645条。",
                 "（二）依申请公开方面。本年度全区共收到70件申请，及时依法依规办结69件，1件结转下年度继续办理。"],
    "problems": ["一是政策解读形式还不够丰富；二是基层政务公开标准化规范化水平有待提升。",
                 "下一步，我区将进一步加强政策解读，推进基层政务公开标准化规范化。"],
    "other_matters": ["本年度未收取信息处理费。"],
}
NARRATIVE_2019 = {
    "overview": ["2020年，我区深入贯彻政务公开工作要求，不断提升政务公开的主动性、便民性和及时性。",
                 "全年我区政府信息公开单位共公布政府信息2602条。"],
    "problems": ["一是公开内容不够全面；二是工作人员业务水平有待提高。"],
    "other_matters": ["无。"],
}
NARRATIVE_MIXED = {
    "overview": ["本年度，我镇认真落实政务公开各项要求，依法依规办理政府信息公开申请。"],
    "problems": ["一是公开内容不够全面；二是工作人员业务水平有待提高。"],
    "other_matters": ["无。"],
}
CHROME = ["当前位置：首页 > 政务公开 > 政府信息公开 > 政府信息公开年报", "全真版 文字版", "【字体：大 中 小】 打印本页"]
SIGNATURE = ["平潭综合实验区党工委管委会办公室", "2022年2月8日", "抄送：省政务公开办。",
             "平潭综合实验区党工委管委会办公室 2022年2月8日印发", "附件下载：2021年度政府信息公开工作年度报告.pdf"]

CASES: list[dict] = []


def case(base: str, file: str, *, title: str, published: str, note: str, numbers: list[str] | None = None,
         discrepancies: list[dict] | None = None, layouts: dict[str, str] | None = None, **extra: object) -> dict:
    shared = BY_FILE[base]
    entry = {"file": file, "year": int(re.search(r"(20\d\d)年", title).group(1)),  # type: ignore[union-attr]
             "agency": re.sub(r"20\d\d年", "", title).replace("政府信息公开工作年度报告", ""), "format": shared["format"],
             "consistent": not discrepancies, "numbers": numbers if numbers is not None else list(shared["numbers"]),
             "amounts_included": True, "discrepancies": discrepancies or [], "variant_of": base, "note": note}
    if layouts:
        entry["layouts"] = layouts
    entry.update(extra)
    CASES.append(entry)
    return entry


def doc_for(base: str, title: str, published: str, numbers: list[str], narrative: dict, fmt: str,
            layouts: dict[str, str] | None = None) -> Doc:
    return build_doc({"format_of_year": fmt, "numbers": numbers, "title": title, "published": published},
                     narrative, layouts)


def with_amount(numbers: list[str], index: int, amount: str) -> list[str]:
    """A 2019-format list (its amount left out in the shared cases) with the amount put back in place."""
    return numbers[:index] + [amount] + numbers[index:]


AMOUNT_2019 = 21  # reading-order index of 政府集中采购 › 采购总金额 in the 2019 format


# --- text as extracted from a PDF ------------------------------------------------------------


def spaced(text: str) -> str:
    """Characters spaced out the way PDF extraction leaves a justified heading: 三 、本 年 度办 理 结果."""
    out, pieces = "", list(text)
    for index, char in enumerate(pieces):
        out += char + (" " if index % 2 == 0 and index < len(pieces) - 1 else "")
    return out


def pdf_text(doc: Doc, running_header: str) -> str:
    """Rows on lines, cells apart by runs of spaces; long labels wrapped with the numbers on a middle line."""
    lines = [doc.title, f"发布日期：{doc.published}"]
    page = 1
    for heading, body in doc.sections:
        lines.append(heading)
        if body and isinstance(body[0], str):
            lines += body  # type: ignore[arg-type]
            continue
        rows: Grid = body  # type: ignore[assignment]
        for index, row in enumerate(rows):
            labels = [c.text for c in row if not c.number]
            numbers = [c.text for c in row if c.number]
            if not numbers:
                if any(t == "尚未审结" for t in labels):  # header cells broken into fragments
                    lines.append("     ".join("尚未审" if t == "尚未审结" else t for t in labels))
                    lines.append("     ".join("结" if t == "尚未审结" else "" for t in labels).strip())
                else:
                    lines.append("     ".join(labels))
                continue
            parents, leaf = labels[:-1], labels[-1] if labels else ""
            parents = [spaced(p) if p.startswith("三、") else p for p in parents]
            if leaf == "（七）总计":
                leaf = "（七）总 计"
            figures = "    ".join(numbers)
            if len(leaf) > 20:
                third = len(leaf) // 3
                lines.append("   ".join(parents + [leaf[:third]]))
                lines.append(f"{leaf[third: 2 * third]}      {figures}")
                lines.append(leaf[2 * third:])
            elif len(leaf) > 12:
                half = len(leaf) // 2
                lines.append("   ".join(parents + [leaf[:half]]) + f"      {figures}")
                lines.append(leaf[half:])
            else:
                lines.append("   ".join(parents + [leaf]) + f"      {figures}")
            if heading.startswith("三、") and index in (9, 20):  # a page ends inside table 三
                page += 1
                lines += [f"-{page}-", running_header]
    return "\n".join(lines) + "\n"


# --- web page as copied ----------------------------------------------------------------------


def web_copy(doc: Doc, *, inline_headings: bool = True, repeat_label: str = "三、本年度办理结果") -> str:
    lines = list(CHROME) + [doc.title, f"来源：平潭综合实验区  时间：{doc.published} 10:32", "全真版 文字版"]
    for heading, body in doc.sections:
        if body and isinstance(body[0], str):
            paragraphs = list(body)  # type: ignore[arg-type]
            if inline_headings:
                paragraphs[0] = heading + paragraphs[0]
            else:
                lines.append(heading)
            lines += paragraphs
            continue
        lines.append(heading)
        for index, row in enumerate(body):  # type: ignore[union-attr]
            if heading.startswith("三、") and index == 14:  # the table broke across pages: its vertical label again
                lines.append(repeat_label)
            lines += [c.text for c in row]  # type: ignore[union-attr]
    return "\n".join(lines + SIGNATURE) + "\n"


def script_page(doc: Doc) -> str:
    inner = plain_html(doc)
    body = inner.split("<body>", 1)[1].rsplit("</body>", 1)[0]
    escaped = json.dumps(body, ensure_ascii=True)
    return ("<!doctype html><html><head><meta charset='utf-8'><title>" + doc.title + "</title></head><body>"
            "<div class='nav'>首页 &gt; 政务公开</div><div id='zoom'></div><script type='text/javascript'>\n"
            f"var content = {escaped};\ndocument.getElementById('zoom').innerHTML = content;\n</script></body></html>")


def relabel(doc: Doc, changes: dict[str, str]) -> Doc:
    """The doc with some headings and row labels written differently (mistyped, abbreviated, renumbered)."""
    sections = []
    for heading, body in doc.sections:
        heading = changes.get(heading, heading)
        if body and isinstance(body[0], list):
            body = [[replace(c, text=changes.get(c.text, c.text)) if not c.number else c for c in row]
                    for row in body]  # type: ignore[union-attr]
        sections.append((heading, body))
    return replace(doc, sections=sections)


def main() -> None:
    n7 = BY_FILE["007_pingtan_zone_2021.txt"]["numbers"]
    n12 = BY_FILE["012_pingtan_junshan_town_2022.txt"]["numbers"]
    n6 = with_amount(BY_FILE["006_pingtan_zone_2020.txt"]["numbers"], AMOUNT_2019, "73802895.90元")
    n5 = with_amount(BY_FILE["005_pingtan_zone_2019.txt"]["numbers"], AMOUNT_2019, "75394432.52元")
    n4 = with_amount(BY_FILE["004_shanghai_city_office_js_2019.html"]["numbers"], AMOUNT_2019, "251000元")
    t7, p7 = "平潭综合实验区2021年政府信息公开工作年度报告", "2022-02-08"
    t12, p12 = "平潭综合实验区君山片区管理局2022年政府信息公开工作年度报告", "2023-01-09"
    t6, p6 = "平潭综合实验区2020年政府信息公开工作年度报告", "2021-03-05"
    d12 = [{"rule": "total-row-sum", "cell": "applications.results.total.natural_person"},
           {"rule": "total-row-sum", "cell": "applications.results.total.other"}]
    d6 = [{"rule": "total-row-sum", "cell": "applications.results.total.natural_person"}]
    d4 = [{"rule": "total-column-sum", "cell": f"applications.results.{row}.total"} for row in (
        "disclosed", "partially_disclosed", "withheld.state_secret", "withheld.internal_affairs",
        "withheld.process_information", "withheld.query_matters", "unavailable.not_held", "unavailable.needs_creation",
        "unavailable.still_unclear", "not_processed.petitions", "not_processed.repeated")]
    doc7 = doc_for("007", t7, p7, n7, NARRATIVE_2021, "2021")
    doc12 = doc_for("012", t12, p12, n12, NARRATIVE_2021, "2021")
    doc6 = doc_for("006", t6, p6, n6, NARRATIVE_2019, "2019")

    base7, base12, base6 = "007_pingtan_zone_2021.txt", "012_pingtan_junshan_town_2022.txt", "006_pingtan_zone_2020.txt"

    write_pdf(doc7, SOURCES / "v01_pingtan_2021_ruled.pdf", running_header=t7)
    case(base7, "v01_pingtan_2021_ruled.pdf", title=t7, published=p7,
         note="PDF made with reportlab: ruled tables (read by cell geometry), long labels wrapped inside their cells, "
              "page numbers - N - and a running header on every page; tables break across pages.")
    write_pdf(doc7, SOURCES / "v02_pingtan_2021_unruled.pdf", ruled=False, running_header=t7)
    case(base7, "v02_pingtan_2021_unruled.pdf", title=t7, published=p7, approximate_allowed=True,
         note="PDF made with reportlab, tables without rules: read from text lines; wrapped labels, page numbers. "
              "Vertical labels (（六）其他处理) interleave with wrapped row labels on the same lines, so some labels "
              "are read by similarity (with a warning).")
    (SOURCES / "v03_pingtan_2021_pdftext.txt").write_text(pdf_text(doc7, t7), encoding="utf-8")
    case(base7, "v03_pingtan_2021_pdftext.txt", title=t7, published=p7,
         note="Text as extracted from a PDF: rows on lines, cells apart by runs of spaces, long labels wrapped over "
              "2-3 lines with the numbers on a middle line, page numbers -N- and the running header inside table 三, "
              "spaced-out 三 、本 年 度办 理 结果 and （七）总 计, header cell 尚未审结 broken into 尚未审 / 结.")
    (SOURCES / "v04_pingtan_2021_word.html").write_text(word_html(doc7, padding=120_000), encoding="utf-8")
    case(base7, "v04_pingtan_2021_word.html", title=t7, published=p7,
         note="Word-exported HTML (~150 KB): MsoNormal markup, text in several <span> runs, a cell split over two <p>, "
              "&nbsp; padding around numbers, 三、本年度办理结果 spanning 23 rows.")
    (SOURCES / "v05_pingtan_2021_script.html").write_text(script_page(doc7), encoding="utf-8")
    case(base7, "v05_pingtan_2021_script.html", title=t7, published=p7,
         note="CMS page carrying the report in a JavaScript string (\\uXXXX escapes), set with innerHTML.")
    (SOURCES / "v06_pingtan_2021_webcopy.txt").write_text(web_copy(doc7), encoding="utf-8")
    case(base7, "v06_pingtan_2021_webcopy.txt", title=t7, published=p7,
         note="Web page as copied: breadcrumbs, 全真版 文字版 and 字体/打印 before the title, each narrative heading on "
              "the line of its first sentence, the vertical label 三、本年度办理结果 repeated where the table broke, "
              "signature, 抄送, 印发 and 附件下载 after section 六.")
    typos = {"四、政府信息公开行政复议、行政诉讼情况": "四、政府信息公开行政法复议、行政诉讼情况",
             "二、主动公开政府信息情况": "二、主动公开政府信息的情况",
             "2.其他法律行政法规禁止公开": "2.其他法律行政止公开",
             "4.保护第三方合法权益": "4.保护第三方合法权利",
             "1.信访举报投诉类申请": "1.信访举报投诉类",
             "（一）予以公开": "(一)予以公开",
             "（五）不予处理": "五是不予处理",
             "行政许可": "行政许可事项"}
    (SOURCES / "v07_pingtan_2021_mistyped.txt").write_text(
        "\n".join(body_lines(relabel(doc7, typos))) + "\n", encoding="utf-8")
    case(base7, "v07_pingtan_2021_mistyped.txt", title=t7, published=p7,
         note="Mistyped, abbreviated and renumbered headings and labels: " + "；".join(f"{a} → {b}" for a, b in typos.items()),
         approximate=["四、政府信息公开行政法复议、行政诉讼情况", "二、主动公开政府信息的情况", "2.其他法律行政止公开",
                      "4.保护第三方合法权利", "1.信访举报投诉类", "行政许可事项"])

    blanks = {str(i): ("" if i % 3 else "/") for i, v in enumerate(n12) if v == "0" and i % 4 == 1}
    numbers_b = [blanks.get(str(i), v) for i, v in enumerate(n12)]
    (SOURCES / "v08_junshan_2022_blank_slash.html").write_text(plain_html(with_blanks(doc12, blanks)), encoding="utf-8")
    case(base12, "v08_junshan_2022_blank_slash.html", title=t12, published=p12, numbers=numbers_b, discrepancies=d12,
         note="Some zero cells published blank and some as “/” (not applicable); inconsistent as published.")
    write_pdf(doc12, SOURCES / "v09_junshan_2022_ruled.pdf", running_header=t12)
    case(base12, "v09_junshan_2022_ruled.pdf", title=t12, published=p12, discrepancies=d12,
         note="The inconsistent town report as a ruled PDF.")

    (SOURCES / "v10_pingtan_2020_word.html").write_text(word_html(doc6), encoding="utf-8")
    case(base6, "v10_pingtan_2020_word.html", title=t6, published=p6, numbers=n6, discrepancies=d6,
         note="2019 format as Word-exported HTML: signed 本年增/减 (-18), procurement amount 73802895.90元 with its unit.")
    (SOURCES / "v11_pingtan_2020_pdftext.txt").write_text(pdf_text(doc6, t6), encoding="utf-8")
    case(base6, "v11_pingtan_2020_pdftext.txt", title=t6, published=p6, numbers=n6, discrepancies=d6,
         note="2019 format as text extracted from a PDF (wrapped labels, page numbers, spaced-out characters).")
    titles_2019 = {"四、政府信息公开行政复议、行政诉讼情况": "四、因政府信息公开申请行政复议、提起行政诉讼的情况",
                   "五、存在的主要问题及改进情况": "五、政府信息公开工作存在的主要问题及改进情况",
                   "（一）予以公开": "一是予以公开"}
    (SOURCES / "v12_pingtan_2020_2019titles.txt").write_text(
        "\n".join(body_lines(relabel(doc6, titles_2019))) + "\n", encoding="utf-8")
    case(base6, "v12_pingtan_2020_2019titles.txt", title=t6, published=p6, numbers=n6, discrepancies=d6,
         note="The 2019 format's own section titles (四、因政府信息公开申请行政复议、提起行政诉讼的情况; "
              "五、政府信息公开工作存在的主要问题及改进情况) and 一是 for （一）.", approximate=["一是予以公开"])

    # 2019 rows of table 三 in later reports: table 二 and 四 of the 2021 report, table 三 of the 2020 one.
    n6_table3 = BY_FILE[base6]["numbers"][21:21 + 161]
    mixed = n7[:10] + n6_table3 + n7[-15:]
    t23, p23 = "示例县城关镇人民政府2023年政府信息公开工作年度报告", "2024-01-26"
    doc23 = doc_for("mixed", t23, p23, mixed, NARRATIVE_MIXED, "2021", {"applications": "2019"})
    (SOURCES / "v13_mixed_2023_2019rows.html").write_text(plain_html(doc23), encoding="utf-8")
    case(base7, "v13_mixed_2023_2019rows.html", title=t23, published=p23, numbers=mixed,
         discrepancies=[{"rule": "total-row-sum", "cell": "applications.results.total.natural_person"}],
         layouts={"applications": "2019"},
         note="A 2023 report in the 2021 format whose table 三 uses the 2019 rows (（六）其他处理 without sub-rows); "
              "tables 二/四 from the 2021 zone report, table 三 from the 2020 one (so its inconsistency comes along).")
    t24, p24 = "示例县城关镇人民政府2024年政府信息公开工作年度报告", "2025-01-20"
    doc24 = doc_for("mixed", t24, p24, mixed, NARRATIVE_MIXED, "2021", {"applications": "2019"})
    (SOURCES / "v14_mixed_2024_2019rows.txt").write_text(pdf_text(doc24, t24), encoding="utf-8")
    case(base7, "v14_mixed_2024_2019rows.txt", title=t24, published=p24, numbers=mixed,
         discrepancies=[{"rule": "total-row-sum", "cell": "applications.results.total.natural_person"}],
         layouts={"applications": "2019"}, note="The same mixed layout in a 2024 report, as PDF-extracted text.")

    t5, p5 = "平潭综合实验区2019年政府信息公开工作年度报告", "2020-01-20"
    doc5 = doc_for("005", t5, p5, n5, NARRATIVE_2019, "2019")
    (SOURCES / "v15_pingtan_2019_inline.txt").write_text(web_copy(doc5, repeat_label="三、本年度办理结果"), encoding="utf-8")
    case("005_pingtan_zone_2019.txt", "v15_pingtan_2019_inline.txt", title=t5, published=p5, numbers=n5,
         note="2019 report as a copied web page: headings on the line of their text, chrome, signature.")

    t4, p4 = "2019年上海市人民政府办公厅政府信息公开工作年度报告", "2020-01-31"
    doc4 = doc_for("004", t4, p4, n4, NARRATIVE_2019, "2019")
    write_pdf(doc4, SOURCES / "v16_shanghai_2019_blanks.pdf", running_header=t4)
    case("004_shanghai_city_office_js_2019.html", "v16_shanghai_2019_blanks.pdf", title=t4, published=p4, numbers=n4,
         discrepancies=d4,
         note="The Shanghai report's blank cells (and 251000元) in a ruled PDF: empty cells stay blank.")

    write_docx(doc4, SOURCES / "v18_shanghai_2019_blanks.docx")
    case("004_shanghai_city_office_js_2019.html", "v18_shanghai_2019_blanks.docx", title=t4, published=p4, numbers=n4,
         discrepancies=d4, note="The Shanghai report as a Word .docx with merged cells: empty cells stay blank.")

    write_scanned(SOURCES / "v17_scanned.pdf")
    CASES.append({"file": "v17_scanned.pdf", "refused": "import-scanned-pdf",
                  "note": "A PDF with no text layer (a scan): refused with a clear message, nothing written."})
    real = []
    acknowledged = {"004_shanghai_city_office_js_2019.html": d4, base6: d6, base12: d12}
    for entry in SHARED:
        real.append({**entry, "discrepancies": acknowledged.get(entry["file"], []), "amounts_included": False})
    real.append(seed_case())
    (HERE / "cases.json").write_text(json.dumps(real + CASES, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def seed_case() -> dict:
    """The seed (a real town report, text without a title): its numbers from the hand transcription in reports/."""
    import yaml

    from gongkai.formats import FORMATS

    data = yaml.safe_load((HERE.parents[1] / "reports" / "shifan-zhen" / "2024.yml").read_text(encoding="utf-8"))
    numbers = []
    for table in FORMATS["2021"].tables:
        for cell in table.cells():
            node = data
            for key in cell.path:
                node = node[key]
            numbers.append(str(node))
    return {"file": "town-report-2024.txt", "year": 2024, "agency": "示例镇人民政府", "format": "2021",
            "consistent": True, "numbers": numbers, "amounts_included": True, "discrepancies": [],
            "options": ["--agency", "示例镇人民政府", "--year", "2024", "--published", "2025-01-20"],
            "note": "The seed: a real town report as copied from its page (Traditional characters, no title line); "
                    "numbers from its hand transcription reports/shifan-zhen/2024.yml. Agency, year and date are "
                    "given on the command line (the text names none)."}


def write_scanned(path: Path) -> None:
    """A page with only drawn shapes: what a scanned report looks like to a text extractor."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    for row in range(30):
        pdf.rect(60, 780 - row * 22, 470, 18)
    pdf.showPage()
    pdf.save()


if __name__ == "__main__":
    main()
