"""Files a YAML body cannot describe — FIFOs, sockets, links, sparse giants, zip bombs — made for a test."""

from __future__ import annotations

import os
import socket
import zipfile
from pathlib import Path


def make_special(kind: str, target: Path, portal: Path) -> None:
    """The files a YAML body cannot describe."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_file() or target.is_symlink():  # a build case's copy of the seed report, replaced
        target.unlink()
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(target))
        server.close()
    elif kind == "devzero":
        target.symlink_to("/dev/zero")
    elif kind == "loop":
        target.symlink_to(target.name)
    elif kind == "outside":
        outside = portal / "elsewhere.yml"
        outside.write_text("year: 2024\n", encoding="utf-8")
        target.symlink_to(outside)
    elif kind == "dirlink":
        target.symlink_to(target.parent, target_is_directory=True)
    elif kind == "folder":
        target.mkdir()
    elif kind == "dangling":
        target.symlink_to(target.parent / "missing.yml")
    elif kind == "huge":
        with target.open("wb") as stream:
            stream.truncate(3_000_000)  # sparse: a large file at no cost
    elif kind == "huge-source":
        with target.open("wb") as stream:
            stream.truncate(25_000_000)
    elif kind == "many":
        target.write_text("agency: [" + ", ".join(["0"] * 300_000) + "]\n", encoding="utf-8")
    elif kind == "longline":  # one line of 200,000 characters, no title, no table
        target.write_text("示" * 200_000 + "\n", encoding="utf-8")
    elif kind == "nested-docx":  # a .docx whose body nests tables 3,000 deep
        with zipfile.ZipFile(target, "w") as archive:
            archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                             'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
                             '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                             'officedocument.wordprocessingml.document.main+xml"/></Types>')
            archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                             'package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/'
                             'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
            depth = 3000
            body = "<w:tbl><w:tr><w:tc>" * depth + "<w:p/>" + "</w:tc></w:tr></w:tbl>" * depth
            archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats'
                             f'.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>')
    elif kind == "zipbomb":
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            with archive.open("word/document.xml", "w") as member:
                for _ in range(160):
                    member.write(b"\0" * (1 << 20))
    elif kind == "notzip":
        target.write_bytes(b"PK\x03\x04 not really a zip")
    else:  # pragma: no cover - a mistake in cases.yml
        raise AssertionError(f"unknown kind {kind}")
