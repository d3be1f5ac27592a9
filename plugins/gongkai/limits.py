"""The one place that bounds what a hostile or careless input may cost: sizes, depth, digits.

Every limit is a named constant; every refusal is a ``LimitExceeded`` carrying the rule code
and the fields of its message (rules.py), so the caller says where. Nothing here reads a
file that is not a regular file, nor more bytes than the limit allows.
"""

from __future__ import annotations

import errno
import io
import os
import stat
import zipfile
from pathlib import Path
from typing import Any

# --- report files (YAML) ------------------------------------------------------------------
MAX_REPORT_BYTES = 2_000_000  # the largest real report is ~30 KB; a narrative may be long
MAX_YAML_DEPTH = 16  # a report nests 5 levels; flow mappings add one
MAX_YAML_NODES = 200_000  # values and keys of one file (a report has ~1,000)

# --- numbers in cells ----------------------------------------------------------------------
MAX_NUMBER_CHARS = 40  # longer number texts are refused before Python converts them
MAX_COUNT_DIGITS = 12  # below a trillion: more than any agency handles in a year
MAX_AMOUNT_INTEGER_DIGITS = 12  # 万元
MAX_AMOUNT_FRACTION_DIGITS = 6

# --- narrative (Markdown): what Python-Markdown renders in reasonable time ------------------------
MAX_NARRATIVE_CHARS = 30_000  # per section; a real section is a few thousand characters
MAX_NARRATIVE_OPENERS = 500  # "[" and "<" (links, images, autolinks): Markdown's parsing is quadratic in them
MAX_NARRATIVE_NESTING = 64  # leading indentation and markers of one line (nested lists recurse)

# --- names that become paths or titles -------------------------------------------------------
MAX_SLUG_LENGTH = 64  # part of every URL and folder name (255 bytes is the usual file-name limit)
MAX_NAME_LENGTH = 100  # an agency's official name; a title of the page and the navigation

# --- imported sources ------------------------------------------------------------------------
MAX_SOURCE_BYTES = 20_000_000  # .html / .txt / .docx as downloaded
MAX_DOCX_UNCOMPRESSED = 100_000_000  # the sum of every member of a .docx, declared and actual
MAX_DOCX_MEMBERS = 2_000
MAX_DOCX_RATIO = 200  # compression ratio beyond which a member is a bomb, not a document
MAX_TITLE_CHARS = 200  # where a source's title is looked for (a title is one short line)

_READ_CHUNK = 1 << 16


class LimitExceeded(Exception):
    """A limit was hit: ``rule`` is the catalogue code, ``fields`` its message's fields."""

    def __init__(self, rule: str, **fields: Any) -> None:
        super().__init__(rule)
        self.rule = rule
        self.fields = fields


def file_kind(mode: int) -> str:
    """What a non-regular file is, in Chinese, for a message."""
    if stat.S_ISDIR(mode):
        return "文件夹"
    if stat.S_ISFIFO(mode):
        return "命名管道（FIFO）"
    if stat.S_ISSOCK(mode):
        return "套接字（socket）"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    if stat.S_ISLNK(mode):
        return "符号链接"
    return "特殊文件"


def read_regular_file(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; anything else is refused unread.

    Opened non-blocking (a FIFO must not hang the open), checked with fstat on the open
    descriptor (no race between the check and the read), read up to one byte past the limit.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as error:
        _raise_loop(error)
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise LimitExceeded("not-a-regular-file", kind=file_kind(info.st_mode))
        if info.st_size > max_bytes:
            raise LimitExceeded("file-too-large", size=_megabytes(info.st_size), limit=_megabytes(max_bytes))
        chunks: list[bytes] = []
        total = 0
        while True:
            try:
                chunk = os.read(fd, _READ_CHUNK)
            except BlockingIOError:  # pragma: no cover - regular files never block
                continue
            if not chunk:
                break
            total += len(chunk)
            if total > max_bytes:  # the file grew while being read
                raise LimitExceeded("file-too-large", size=f"超过 {_megabytes(max_bytes)}", limit=_megabytes(max_bytes))
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _raise_loop(error: OSError) -> None:
    """A symlink loop is named as such; other errors of the system are the caller's to word."""
    if error.errno == errno.ELOOP:
        raise LimitExceeded("symlink-loop") from None


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size} 字节"


def check_zip(raw: bytes) -> None:
    """Refuse a zip (a .docx) whose members would decompress past the limits, declared or actual."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # not a zip: the reader says so in its own words
    with archive:
        members = archive.infolist()
        if len(members) > MAX_DOCX_MEMBERS:
            raise LimitExceeded("archive-too-large", what=f"{len(members)} 个部件",
                                limit=f"{MAX_DOCX_MEMBERS} 个部件")
        declared = sum(m.file_size for m in members)
        if declared > MAX_DOCX_UNCOMPRESSED:
            raise LimitExceeded("archive-too-large", what=f"解压后 {_megabytes(declared)}",
                                limit=_megabytes(MAX_DOCX_UNCOMPRESSED))
        actual = 0
        for member in members:
            if member.compress_size and member.file_size / member.compress_size > MAX_DOCX_RATIO \
                    and member.file_size > 1_000_000:
                raise LimitExceeded("archive-too-large", what=f"部件 {member.filename[:60]} 压缩比异常",
                                    limit=f"压缩比 {MAX_DOCX_RATIO}:1")
            try:
                with archive.open(member) as stream:
                    while chunk := stream.read(_READ_CHUNK):
                        actual += len(chunk)
                        if actual > MAX_DOCX_UNCOMPRESSED:
                            raise LimitExceeded("archive-too-large", what=f"解压后超过 {_megabytes(actual)}",
                                                limit=_megabytes(MAX_DOCX_UNCOMPRESSED))
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, OSError, ValueError):
                return  # a damaged member: python-docx reports it (or never reads it)


def number_too_long(text: str) -> bool:
    return len(text) > MAX_NUMBER_CHARS
