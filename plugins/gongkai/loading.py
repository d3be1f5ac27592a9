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
from typing import Any, Iterator, Mapping

import yaml

from . import limits
from .findings import Finding
from .loading_caches import PLAIN_INTS, PLAIN_INTS_BOUND, BaseLoader, CachingLoader, child_paths
from .loading_caches import shared_path as shared_path  # parsing imports it from here
from .marks import Mark, nearest
from .rules import Where, finding, yaml_syntax

Path_ = tuple[Any, ...]
_ScalarNode, _MappingNode, _SequenceNode = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode

_FLOAT_TAG = "tag:yaml.org,2002:float"
_STR_TAG = "tag:yaml.org,2002:str"
_INT_TAG = "tag:yaml.org,2002:int"
# Plain decimal integers, the bulk of every report: read directly. A number is written in decimal
# digits: the other YAML 1.1 forms (012 octal, 0x10, 1:30, 1_000, +5, 1.0e+3, .inf) become ``OddNumber``.
_PLAIN_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,%d})" % (limits.MAX_NUMBER_CHARS - 2))
_PLAIN_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]{0,%d})\.[0-9]{1,%d}" % ((limits.MAX_NUMBER_CHARS // 2,) * 2))
_LEADING_ZERO = re.compile(r"-?0[0-9]+")
# Characters YAML refuses (C0 and C1 controls but tab and line ends, surrogates, U+FFFE/U+FFFF):
# found first, so the message can say where (libyaml's says only "unacceptable character").
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


# A position packed into one int (line in the high bits): a report keeps hundreds of them, for
# as long as the build runs, and needs them only to name a line in a finding.
_COLUMN_BITS = 32
_COLUMN_MASK = (1 << _COLUMN_BITS) - 1


def unpack_mark(packed: int) -> Mark:
    """A position packed as ``line << 32 | column`` (1-based both)."""
    return Mark(packed >> _COLUMN_BITS, packed & _COLUMN_MASK)


class Marks(Mapping[Path_, Mark]):
    """Read-only source positions by YAML path, stored packed (``unpack_mark``)."""

    __slots__ = ("_packed",)

    def __init__(self, packed: dict[Path_, int] | None = None) -> None:
        self._packed = packed if packed is not None else {}

    def __getitem__(self, path: Path_) -> Mark:
        return unpack_mark(self._packed[path])

    def get(self, path: Path_, default: Any = None) -> Any:
        packed = self._packed.get(path)
        return default if packed is None else unpack_mark(packed)

    def __contains__(self, path: object) -> bool:
        return path in self._packed

    def __iter__(self) -> Iterator[Path_]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)


@dataclass(frozen=True)
class InvalidScalar:
    """A scalar YAML could not turn into a value (e.g. the date 2025-02-30)."""

    text: str
    reason: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class OddNumber(InvalidScalar):
    """A number not written in decimal digits (``form`` says how, in Chinese); a leading zero keeps its ``decimal`` value."""

    form: str = ""
    decimal: int | None = None


def odd_number(text: str) -> OddNumber:
    if _LEADING_ZERO.fullmatch(text) and len(text) <= limits.MAX_NUMBER_CHARS:
        return OddNumber(text, "leading-zero", "以 0 开头的数字", int(text, 10))
    lowered = text.lower().lstrip("+-")
    if limits.number_too_long(text):
        form = "位数过多的数字"
    elif lowered.startswith("0x"):
        form = "十六进制写法"
    elif lowered.startswith("0o") or _LEADING_ZERO.fullmatch(lowered.replace("_", "")):
        form = "八进制写法"
    elif lowered.startswith("0b"):
        form = "二进制写法"
    elif ":" in lowered:
        form = "六十进制（时:分）写法，YAML 会把 1:30 读作 90"
    elif "_" in lowered:
        form = "带下划线的写法"
    elif lowered in (".inf", "inf"):
        form = "无穷大"
    elif lowered == ".nan":
        form = "非数值（NaN）"
    elif "e" in lowered:
        form = "科学计数法"
    elif text.startswith("+"):
        form = "带加号的写法"
    elif re.fullmatch(r"[0-9]*\.[0-9]*", lowered):
        form = "不完整的小数（小数点前后都应有数字）"
    else:
        form = "非十进制数字的写法"
    return OddNumber(text, "not-decimal", form)


class _Refused(Exception):
    """The document is not built at all (an alias, too deep, too many values)."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.rule)
        self.finding = finding


@dataclass
class SourceDocument:
    """A loaded YAML file: its values and where each key and value stands (packed, see ``unpack_mark``)."""

    path: Path
    display_path: str
    data: Any
    key_marks: dict[Path_, int] = field(default_factory=dict)
    value_marks: dict[Path_, int] = field(default_factory=dict)

    def mark(self, path: Path_) -> Mark:
        """Where the value at ``path`` stands, or the nearest enclosing value that exists."""
        return nearest(path, self._packed_mark)

    def _packed_mark(self, path: Path_) -> Mark | None:
        found = self.value_marks.get(path) or self.key_marks.get(path)
        return unpack_mark(found) if found else None

    def key_mark(self, path: Path_) -> Mark:
        found = self.key_marks.get(tuple(path))
        return unpack_mark(found) if found else self.mark(path)

    def marks(self) -> Marks:
        """Where every value stands (each key's value is written after its key): what a report keeps."""
        return Marks(self.value_marks)


_TAB_PROBLEM = "found a tab character"


def _character_at(text: str, mark: yaml.Mark | None) -> str:
    """The character a YAML error points at (libyaml's messages do not name it)."""
    if mark is None:
        return ""
    lines = text.split("\n")
    if mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]


class _Builder:
    """Turns composed YAML nodes into values, recording marks and duplicate keys."""

    def __init__(self, loader: Any, document: SourceDocument) -> None:
        self.loader = loader
        self.document = document
        self.findings: list[Finding] = []
        self.key_marks = document.key_marks
        self.value_marks = document.value_marks
        self.nodes = 0

    def _refuse(self, code: str, node: yaml.Node, **fields: Any) -> _Refused:
        start = node.start_mark
        return _Refused(finding(code, Where(self.document.display_path, start.line + 1, start.column + 1), **fields))

    def build(self, node: yaml.Node, path: Path_) -> Any:
        if not isinstance(node, _ScalarNode):
            if len(path) >= limits.MAX_YAML_DEPTH:
                raise self._refuse("yaml-too-deep", node, limit=limits.MAX_YAML_DEPTH)
            self.nodes += len(node.value)
            if self.nodes > limits.MAX_YAML_NODES:
                raise self._refuse("yaml-too-many-nodes", node, limit=limits.MAX_YAML_NODES)
        if isinstance(node, _MappingNode):
            return self._mapping(node, path)
        if isinstance(node, _SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                here = shared_path(path + (index,))
                start = item.start_mark
                self.value_marks[here] = (start.line + 1) << _COLUMN_BITS | (start.column + 1)
                items.append(self.build(item, here))
            return items
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[Any, Any]:
        # The hot loop of loading (every key of every report): node classes are compared directly,
        # plain strings and integers are read inline, paths and integers seen before are looked up,
        # and marks are packed without a call.
        result: dict[Any, Any] = {}
        key_marks, value_marks = self.key_marks, self.value_marks
        children, ints = child_paths(path), PLAIN_INTS
        for key_node, value_node in node.value:
            if key_node.__class__ is _ScalarNode and key_node.tag == _STR_TAG:
                key = key_node.value
            else:
                key = self._scalar(key_node) if isinstance(key_node, _ScalarNode) else str(key_node.value)
                key = key if isinstance(key, str) else str(key)
            here = children.get(key)
            if here is None:
                # Interned: the same few dozen keys recur in every report, and every report stays in memory.
                here = children[key] = shared_path(path + (sys.intern(key),))
            key = here[-1]
            start = key_node.start_mark
            key_mark = (start.line + 1) << _COLUMN_BITS | (start.column + 1)
            if key in result:
                where = Where.at(self.document.display_path, unpack_mark(key_mark), here)
                first = unpack_mark(key_marks[here])
                self.findings.append(finding("duplicate-key", where, key=key, first_line=first.line))
                continue
            key_marks[here] = key_mark
            start = value_node.start_mark
            value_marks[here] = (start.line + 1) << _COLUMN_BITS | (start.column + 1)
            if value_node.__class__ is _ScalarNode:
                tag, text = value_node.tag, value_node.value
                if tag == _STR_TAG and (value_node.style or text[:1] not in _ZERO_OR_MINUS):
                    result[key] = text
                elif tag == _INT_TAG and (number := ints.get(text)) is not None:
                    result[key] = number
                elif tag == _INT_TAG and _PLAIN_INT.fullmatch(text):
                    result[key] = number = int(text)
                    if len(text) <= _CACHED_INT_LENGTH and len(ints) < PLAIN_INTS_BOUND:
                        ints[text] = number
                else:
                    result[key] = self._scalar(value_node)
            else:
                result[key] = self.build(value_node, here)
        return result

    def _scalar(self, node: yaml.Node) -> Any:
        text = node.value
        if node.tag == _STR_TAG:
            # 09 is no octal number for YAML 1.1, so it is text: a number with a leading zero all the same
            if not getattr(node, "style", None) and _LEADING_ZERO.fullmatch(text):
                return odd_number(text)
            return text
        if node.tag == _INT_TAG:
            return int(text) if _PLAIN_INT.fullmatch(text) else odd_number(text)
        if node.tag == _FLOAT_TAG:
            if not _PLAIN_DECIMAL.fullmatch(text):
                return odd_number(text)
            try:
                return Decimal(text)
            except InvalidOperation:  # pragma: no cover - the pattern admits decimals only
                return InvalidScalar(text, "not-a-number")
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, yaml.constructor.ConstructorError) as error:
            return InvalidScalar(str(node.value), str(error))


_ZERO_OR_MINUS = frozenset("0-")
_CACHED_INT_LENGTH = 6


def _control_character(text: str, display: str) -> Finding | None:
    """A character YAML refuses, located by line and column."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    at = found.start()
    line = text.count("\n", 0, at) + 1
    column = at - text.rfind("\n", 0, at)
    char = f"U+{ord(found.group()):04X}" + ("（NUL）" if found.group() == "\x00" else "")
    return finding("control-character", Where(display, line, column), char=char)


def _alias(text: str, display: str) -> Finding | None:
    """The first anchor or alias: reports need neither, and aliases are how a small file becomes huge.

    Found from parser events (aliases are never expanded there), only when the text has an ``&``.
    """
    if "&" not in text:
        return None
    try:
        for event in yaml.parse(text, Loader=BaseLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                start = event.start_mark
                return finding("yaml-alias", Where.at(display, start and Mark(start.line + 1, start.column + 1)))
    except yaml.YAMLError:
        return None  # the composer reports the syntax error, located
    return None


def load_text(text: str, path: Path, display_path: str | None = None) -> tuple[SourceDocument | None, list[Finding]]:
    """Parse YAML text; on a syntax error return no document and one finding."""
    display = display_path or str(path)
    document = SourceDocument(path=path, display_path=display, data=None)
    refused = _control_character(text, display) or _alias(text, display)
    if refused is not None:
        return None, [refused]
    loader = CachingLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return document, []
        builder = _Builder(loader, document)
        document.data = builder.build(node, ())
        return document, builder.findings
    except _Refused as refusal:
        return None, [refusal.finding]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if error.context_mark is not None and "quoted scalar" in (error.context or ""):
            mark = error.context_mark  # an unclosed quote: where it opens, not where the file ends
        where = Where.at(display, Mark(mark.line + 1, mark.column + 1) if mark else None)
        return None, [yaml_syntax(where, _TAB_PROBLEM if _character_at(text, mark) == "\t" else error.problem)]
    except yaml.YAMLError as error:
        return None, [yaml_syntax(Where.at(display), str(error))]
    finally:
        loader.dispose()


def load_file(path: Path, display_path: str | None = None) -> tuple[SourceDocument | None, list[Finding]]:
    """Read and parse one report file; unreadable or non-UTF-8 files become findings."""
    display = display_path or str(path)
    try:
        raw = limits.read_regular_file(path, limits.MAX_REPORT_BYTES)
    except limits.LimitExceeded as refusal:
        return None, [finding(refusal.rule, Where(display), **refusal.fields)]
    except OSError as error:
        return None, [finding("file-unreadable", Where.at(display), reason=error.strerror)]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [finding("file-encoding", Where(display, line))]
    return load_text(text, path, display)
