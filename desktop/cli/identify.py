"""``aireview identify FILE``: the licenses of one file and how it differs from the closest reference."""

from __future__ import annotations

import argparse
import json
import sys
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from desktop.core.licenses import identify_text, load_library

MAX_BYTES = 10 * 1024 * 1024
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class Unusable(Exception):
    """The file cannot be read as text."""


def register(sub: Any) -> None:
    """Add the ``identify`` subcommand."""
    parser = sub.add_parser("identify", help="identify the licenses in one file")
    parser.add_argument("file", type=Path)
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--firm-dir", type=Path, default=None, help="folder of the firm's reference texts")
    parser.set_defaults(func=run)


def read_document(path: Path) -> tuple[str, list[str] | None]:
    """Text of a file (PDF pages, DOCX paragraphs, else UTF-8 with BOM / latin-1 fallback)."""
    if not path.is_file():
        raise Unusable("not a readable file")
    if path.stat().st_size > MAX_BYTES:
        raise Unusable(f"larger than {MAX_BYTES // (1024 * 1024)} MB")
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from desktop.core.formats.pdf_text import read_pdf  # the scan's extractor, with its limits

        with open(path, "rb") as stream:
            info = read_pdf(stream, path.stat().st_size, path.name)
        if info.pages is None:
            reason = info.problems[0].message.removeprefix(f"{path.name}: ") if info.problems else "no text"
            raise Unusable(f"not a readable PDF ({reason})")
        return "", info.pages
    if suffix == ".docx":
        try:
            with zipfile.ZipFile(path) as archive:
                info = archive.getinfo("word/document.xml")
                if info.file_size > 5 * MAX_BYTES:
                    raise Unusable("document.xml too large")
                root = ElementTree.fromstring(archive.read(info))
        except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
            raise Unusable(f"not a readable DOCX ({type(exc).__name__})") from None
        paragraphs = ["".join(t.text or "" for t in p.iter(f"{_W}t")) for p in root.iter(f"{_W}p")]
        return "\n".join(paragraphs), None
    raw = path.read_bytes()
    if b"\0" in raw[:8192]:
        raise Unusable("binary content")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return raw.decode("latin-1"), None


def run(args: argparse.Namespace) -> int:
    """Identify, print, return 0 (2 when the input is unusable)."""
    try:
        text, pages = read_document(args.file)
    except (Unusable, OSError) as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return 2
    library = load_library(firm_dir=args.firm_dir)  # LibraryMissing: one line, exit 2 (cli.main)
    matches = identify_text(text, library, pages=pages)
    rows = []
    for match in matches:
        row = match.to_json()
        if match.source == "text":
            row["differences"] = match.differences
        rows.append(row)
    if args.json:
        print(json.dumps({"path": str(args.file), "licenses": rows}, indent=2, ensure_ascii=False))
        return 0
    if not rows:
        print(f"{args.file}: no license found")
    for row in rows:
        where = f"pages {row['pages']}" if "pages" in row else f"lines {row.get('lines')}"
        label = row["key"] or f"needs identification (nearest {row.get('nearest')}: {row.get('reason')})"
        print(f"{label}  [{row['status']}, {row['source']}, score {row['score']}, {where}]")
        if row.get("shared_with"):
            print(f"    the same text is also {', '.join(row['shared_with'])}: {row.get('deciding_words')}")
        if row.get("decided"):
            print(f"    named {row['decided']} by the file's words: {row.get('deciding_words')!r}")
        for op in row.get("differences", [])[:50]:
            print(f"    line {op['line']}: {op['op']}  ref: {op['ref']!r}  text: {op['text']!r}")
    return 0
