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
