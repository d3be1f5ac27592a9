"""The Word document opened by an office suite, not only by python-docx: LibreOffice (headless)
turns it into a PDF, and the PDF's text must hold the title, the six sections, every sentence of
the narratives, the tables' labels and the page numbers. A document Word or WPS would refuse
(a broken part, a bad relationship) makes LibreOffice fail or print nothing.

LibreOffice comes from Debian's ``libreoffice-writer-nogui`` (``.ci/install-browser-tools.sh``);
without it the test is skipped locally and fails under CI, as the browser tests do.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from attach_kit import narrative_texts, sample_reports, squeeze

from gongkai.attachments import WORD, make
from gongkai.model import Report

TIMEOUT_SECONDS = 180


def require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} missing — run .ci/install-browser-tools.sh"
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail(f"CI: {message}", pytrace=False)
        pytest.skip(message)
    return path


def office_text(report: Report, folder: Path) -> tuple[str, int]:
    """The Word document converted to PDF by LibreOffice: its text (pdftotext) and its page count."""
    soffice, pdftotext = require("soffice"), require("pdftotext")
    document = folder / f"{report.agency.slug}-{report.year}.docx"
    document.write_bytes(make(report, WORD))
    profile = folder / "profile"  # a profile of its own: parallel runs never share LibreOffice's lock
    done = subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                           "--convert-to", "pdf", "--outdir", str(folder), str(document)],
                          capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    pdf = document.with_suffix(".pdf")
    assert done.returncode == 0 and pdf.is_file(), f"LibreOffice could not open the document: {done.stderr}"
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.count("\f")
    return text, pages


def chosen_reports() -> list[Report]:
    """One report of each format (2019–2020 and 2021-on), and an archived, as-published one."""
    reports = sample_reports()
    picked: dict[str, Report] = {}
    for report in reports:
        kind = "archived" if "archived" in str(report.source) else report.format.version
        picked.setdefault(kind, report)
    return list(picked.values())


@pytest.mark.parametrize("report", chosen_reports(), ids=lambda r: f"{r.agency.slug}-{r.year}")
def test_libreoffice_opens_the_word_document_and_prints_all_of_it(report: Report, tmp_path: Path) -> None:
    text, pages = office_text(report, tmp_path)
    flat = squeeze(text)
    assert squeeze(report.title) in flat
    for number in "一二三四五六":
        assert f"{number}、" in flat, f"section {number} missing from the printed document"
    missing = [sentence for sentence in narrative_texts(report) if squeeze(sentence) not in flat]
    assert not missing, f"narrative text not in the printed document: {missing[:3]}"
    assert "第二十条第（一）项" in flat and "本年新收政府信息公开申请数量" in flat  # tables 二 and 三
    assert pages >= 2
    assert "—1—" in flat and f"—{pages}—" in flat  # the page number field, as GB/T 9704 has it
