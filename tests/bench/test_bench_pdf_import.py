"""The PDF the import benchmark times is a real 20-page report that imports (no timing here)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pdfplumber

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_the_benchmark_pdf_has_twenty_pages_and_imports(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("bench_pdf_import", BENCH / "pdf_import.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    source = tmp_path / "report.pdf"
    assert module.make_pdf(source) == 20
    with pdfplumber.open(source) as document:
        assert len(document.pages) == 20
    result = module.measure(repeat=1)
    assert result["pages"] == 20 and result["best_s"] > 0
