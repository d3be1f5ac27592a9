"""Read a report YAML file into plain values plus the source position of every key.

Uses libyaml's C parser where present (CSafeLoader), composes nodes once and builds
values from them, so that duplicate keys are caught (PyYAML would keep the last one
silently) and every finding can name a line and column.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from .findings import Finding, Severity

try:  # libyaml is much faster; fall back to the pure-Python parser where it is missing
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

Path_ = tuple[Any, ...]

_FLOAT_TAG = "tag:yaml.org,2002:float"
_STR_TAG = "tag:yaml.org,2002:str"
_INT_TAG = "tag:yaml.org,2002:int"
# Plain decimal integers, the bulk of every report: read directly, exactly as PyYAML would
# (a leading 0 means octal in YAML 1.1, so those still go through PyYAML).
_PLAIN_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")


@dataclass(frozen=True)
class Mark:
    line: int  # 1-based
    column: int  # 1-based


@dataclass(frozen=True)
class InvalidScalar:
    """A scalar YAML could not turn into a value (e.g. the date 2025-02-30)."""

    text: str
    reason: str

    def __str__(self) -> str:
        return self.text


@dataclass
class SourceDocument:
    """A loaded YAML file: its values and where each key and value stands."""

    path: Path
    display_path: str
    data: Any
    key_marks: dict[Path_, Mark] = field(default_factory=dict)
    value_marks: dict[Path_, Mark] = field(default_factory=dict)

    def mark(self, path: Path_) -> Mark | None:
        """Where the value at ``path`` stands, or the nearest enclosing value that exists."""
        probe = tuple(path)
        while probe:
            found = self.value_marks.get(probe) or self.key_marks.get(probe)
            if found:
                return found
            probe = probe[:-1]
        return Mark(1, 1)

    def key_mark(self, path: Path_) -> Mark | None:
        return self.key_marks.get(tuple(path)) or self.mark(path)


_YAML_PROBLEMS_ZH = {
    "mapping values are not allowed here": "此处不能出现“键: 值”（常见原因：缩进不对，或文字里有英文冒号而没有加引号）",
    "could not find expected ':'": "缺少英文冒号“:”（检查上一行的键和缩进）",
    "did not find expected key": "缩进不一致，找不到预期的键（检查这一行与上一行的缩进空格数）",
    "found character '\\t' that cannot start any token": "不能用 Tab 键缩进，请改用空格",
    "found a tab character": "不能用 Tab 键缩进，请改用空格",
    "did not find expected node content": "缺少内容（检查括号、引号是否成对）",
    "found unexpected end of stream": "文件意外结束（检查引号是否成对）",
    "did not find expected ',' or '}'": "花括号 { } 内的内容格式不对（检查逗号、冒号和右括号）",
    "did not find expected ',' or ']'": "方括号 [ ] 内的内容格式不对（检查逗号和右括号）",
    "found undefined alias": "引用了未定义的锚点（*别名）",
    "block sequence entries are not allowed in this context": "此处不能出现“- ”列表项（检查缩进）",
    "found unknown escape character": "双引号文字中有无法识别的转义符“\\”，请改用单引号或删去反斜杠",
}


_TAB_PROBLEM = "found a tab character"


def _character_at(text: str, mark: yaml.Mark | None) -> str:
    """The character a YAML error points at (libyaml's messages do not name it)."""
    if mark is None:
        return ""
    lines = text.split("\n")
    if mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]


def _translate_problem(problem: str | None) -> str:
    problem = problem or "无法解析"
    for english, chinese in _YAML_PROBLEMS_ZH.items():
        if english in problem:
            return f"{chinese}。（YAML：{problem}）"
    return f"YAML 格式错误：{problem}。"


class _Builder:
    """Turns composed YAML nodes into values, recording marks and duplicate keys."""

    def __init__(self, loader: Any, document: SourceDocument) -> None:
        self.loader = loader
        self.document = document
        self.findings: list[Finding] = []

    def build(self, node: yaml.Node, path: Path_) -> Any:
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.document.value_marks[path + (index,)] = _mark(item.start_mark)
                items.append(self.build(item, path + (index,)))
            return items
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self._scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            # Interned: the same few dozen keys recur in every report, and every report stays in memory.
            key = sys.intern(key if isinstance(key, str) else str(key))
            here = path + (key,)
            key_mark = _mark(key_node.start_mark)
            if key in result:
                first = self.document.key_marks[here]
                self.findings.append(
                    Finding(
                        rule="duplicate-key",
                        severity=Severity.ERROR,
                        message=f"键“{key}”重复出现（第一次在第 {first.line} 行）。同一层级每个键只能出现一次，请删去或合并多余的一处",
                        file=self.document.display_path,
                        line=key_mark.line,
                        column=key_mark.column,
                        path=tuple(str(p) for p in here),
                    )
                )
                continue
            self.document.key_marks[here] = key_mark
            self.document.value_marks[here] = _mark(value_node.start_mark)
            result[key] = self.build(value_node, here)
        return result

    def _scalar(self, node: yaml.Node) -> Any:
        if node.tag == _STR_TAG:
            return node.value
        if node.tag == _INT_TAG and _PLAIN_INT.fullmatch(node.value):
            return int(node.value)
        if node.tag == _FLOAT_TAG:
            try:
                return Decimal(node.value.replace("_", ""))
            except InvalidOperation:
                return InvalidScalar(node.value, "not-a-number")
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, yaml.constructor.ConstructorError) as error:
            return InvalidScalar(str(node.value), str(error))


def _mark(mark: yaml.Mark) -> Mark:
    return Mark(mark.line + 1, mark.column + 1)


def load_text(text: str, path: Path, display_path: str | None = None) -> tuple[SourceDocument | None, list[Finding]]:
    """Parse YAML text; on a syntax error return no document and one finding."""
    display = display_path or str(path)
    document = SourceDocument(path=path, display_path=display, data=None)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return document, []
        builder = _Builder(loader, document)
        document.data = builder.build(node, ())
        return document, builder.findings
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        return None, [
            Finding(
                rule="yaml-syntax",
                severity=Severity.ERROR,
                message=_translate_problem(
                    _TAB_PROBLEM if _character_at(text, mark) == "\t" else error.problem),
                file=display,
                line=mark.line + 1 if mark else None,
                column=mark.column + 1 if mark else None,
            )
        ]
    except yaml.YAMLError as error:
        return None, [Finding("yaml-syntax", Severity.ERROR, _translate_problem(str(error)), display)]
    finally:
        loader.dispose()


def load_file(path: Path, display_path: str | None = None) -> tuple[SourceDocument | None, list[Finding]]:
    """Read and parse one report file; unreadable or non-UTF-8 files become findings."""
    display = display_path or str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        return None, [Finding("file-unreadable", Severity.ERROR, f"无法读取文件：{error.strerror}", display)]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [
            Finding(
                rule="file-encoding",
                severity=Severity.ERROR,
                message="文件不是 UTF-8 编码。请在编辑器中以 UTF-8 编码另存（不要用 GBK/GB2312）",
                file=display,
                line=line,
            )
        ]
    return load_text(text, path, display)
