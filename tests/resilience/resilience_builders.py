"""Hand-made hostile deliveries, built byte by byte in a test's own folder.

Every escape target names a ``marker`` (unique per test), so a test can prove afterwards that
no such file appeared anywhere the delivery pointed at.  Bombs are built from repeated
compressed blocks, so a multi-gigabyte expansion costs a few megabytes and well under a second.
"""

from __future__ import annotations

import io
import struct
import tarfile
import zipfile
import zlib
from pathlib import Path

MiB = 1 << 20
GiB = 1 << 30


# -- compressed bombs ------------------------------------------------------------------------

def repeated_deflate(chunk: bytes, repeats: int, *, wbits: int = -15) -> tuple[bytes, int, int]:
    """A deflate stream of ``chunk`` repeated ``repeats`` times; returns (stream, crc32, adler32).

    After a full flush the compressor's output for the same input is the same bytes, so the
    middle block is computed once and repeated.  ``wbits=-15`` is raw deflate (zip members),
    ``15`` a zlib stream (PDF FlateDecode).
    """
    assert repeats >= 3
    comp = zlib.compressobj(9, zlib.DEFLATED, wbits)
    first = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    middle = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    again = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    assert middle == again, "the compressor did not settle on a repeating block"
    tail = comp.flush()
    stream = first + middle * (repeats - 1) + tail
    crc, adler = 0, 1
    for _ in range(repeats):
        crc = zlib.crc32(chunk, crc)
        adler = zlib.adler32(chunk, adler)
    return stream, crc, adler


def _zip_member(name: str, data: bytes, crc: int, size: int, offset: int,
                method: int = zipfile.ZIP_DEFLATED) -> tuple[bytes, bytes]:
    """A local header + data and its central directory record (zip64 sizes when needed)."""
    raw = name.encode()
    big = size >= 0xFFFFFFFF or len(data) >= 0xFFFFFFFF
    extra = struct.pack("<HHQQ", 1, 16, size, len(data)) if big else b""
    shown_size = 0xFFFFFFFF if big else size
    shown_packed = 0xFFFFFFFF if big else len(data)
    version = 45 if big else 20
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", version, 0x800, method, 0, 0, crc,
                        shown_packed, shown_size, len(raw), len(extra)) + raw + extra + data
    central = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", (3 << 8) | version, version, 0x800, method, 0, 0,
                          crc, shown_packed, shown_size, len(raw), len(extra), 0, 0, 0,
                          0o100644 << 16, offset) + raw + extra
    return local, central


def hand_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of pre-compressed deflate members ``(name, stream, crc32, expanded size)``."""
    body, directory = b"", b""
    for name, stream, crc, size in members:
        local, central = _zip_member(name, stream, crc, size, len(body))
        body += local
        directory += central
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory),
                      len(body), 0)
    return body + directory + end


def flat_zip_bomb(path: Path, members: int = 8, member_bytes: int = GiB) -> Path:
    """One zip, ``members`` members of ``member_bytes`` zeros each (deflate, ~1000:1)."""
    stream, crc, _ = repeated_deflate(b"\0" * MiB, member_bytes // MiB)
    path.write_bytes(hand_zip([(f"shard-{i:02d}.bin", stream, crc, member_bytes)
                               for i in range(members)]))
    return path


def nested_zip_bomb(path: Path, levels: int = 5, copies: int = 10, leaf_bytes: int = GiB) -> Path:
    """A 42.zip-style bomb: each level holds ``copies`` of the level below, ``levels`` deep."""
    stream, crc, _ = repeated_deflate(b"\0" * MiB, leaf_bytes // MiB)
    inner = hand_zip([("zeros.bin", stream, crc, leaf_bytes)])
    for level in range(levels):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for copy in range(copies):
                zf.writestr(f"level{level}-{copy}.zip", inner)
        inner = buf.getvalue()
    path.write_bytes(inner)
    return path


def pdf_bomb(path: Path, expanded: int = 4 * GiB) -> Path:
    """A one-page PDF whose content stream (FlateDecode) inflates to ``expanded`` bytes."""
    line = b"BT /F1 12 Tf 72 720 Td (lol) Tj ET\n"
    chunk = line * (MiB // len(line)) + b" " * (MiB % len(line))
    stream, _, _ = repeated_deflate(chunk, expanded // MiB, wbits=15)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


# -- escapes ---------------------------------------------------------------------------------

def zip_slip(path: Path, marker: str) -> Path:
    """Members named to climb out of any extraction folder, with / and with \\."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("model/README.md", "# a model\n")
        zf.writestr(f"../../../../../../tmp/{marker}-slip.txt", "zip slip")
        zf.writestr(f"model/../../{marker}-up.txt", "zip slip")
        zf.writestr(f"..\\..\\{marker}-backslash.txt", "zip slip")
    return path


def absolute_paths(path: Path, marker: str) -> Path:
    """Absolute member names: POSIX, Windows drive and UNC."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(f"/tmp/{marker}-abs.txt", "absolute")
        info = zipfile.ZipInfo(f"C:\\Windows\\Temp\\{marker}-drive.txt")
        zf.writestr(info, "drive")
        zf.writestr(f"//server/share/{marker}-unc.txt", "unc")
    return path


def _tar_add(tf: tarfile.TarFile, name: str, data: bytes = b"", **fields: object) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    for key, value in fields.items():
        setattr(info, key, value)
    tf.addfile(info, io.BytesIO(data) if data else None)


def tar_absolute(path: Path, marker: str) -> Path:
    """A tar whose members are absolute or climb out."""
    with tarfile.open(path, "w", format=tarfile.GNU_FORMAT) as tf:
        _tar_add(tf, f"/tmp/{marker}-tar-abs.txt", b"absolute")
        _tar_add(tf, f"../../{marker}-tar-up.txt", b"climb")
    return path


def zip_symlinks(path: Path, marker: str) -> Path:
    """Zip symlink entries out of the delivery, then a file written 'through' one."""
    with zipfile.ZipFile(path, "w") as zf:
        for name, target in (("passwd", "/etc/passwd"), ("tmp", "../../../../../../tmp"),
                             ("home", "/root")):
            info = zipfile.ZipInfo(name)
            info.create_system = 3
            info.external_attr = (0o120777 << 16)
            zf.writestr(info, target)
        zf.writestr(f"tmp/{marker}-through-link.txt", "written through a link")
    return path


def tar_links(path: Path, marker: str) -> Path:
    """Tar symlinks and hard links to files outside, and a file 'through' a symlinked folder."""
    with tarfile.open(path, "w") as tf:
        _tar_add(tf, "etc-passwd", type=tarfile.SYMTYPE, linkname="/etc/passwd")
        _tar_add(tf, "up", type=tarfile.SYMTYPE, linkname="../../../../../../tmp")
        _tar_add(tf, f"up/{marker}-through-link.txt", b"written through a link")
        _tar_add(tf, "shadow-hard", type=tarfile.LNKTYPE, linkname="/etc/shadow")
        _tar_add(tf, "up-hard", type=tarfile.LNKTYPE, linkname=f"../../../tmp/{marker}-hard")
        _tar_add(tf, "ok.txt", b"fine\n")
    return path


def folder_links(root: Path, outside: Path) -> Path:
    """A delivery folder with a symlink to a secret file and one to a folder outside it."""
    root.mkdir(parents=True)
    (root / "README.md").write_text("# model\n")
    (root / "secret-link").symlink_to(outside / "secret.txt")
    (root / "outside-dir").symlink_to(outside, target_is_directory=True)
    (root / "loop").symlink_to(root, target_is_directory=True)
    return root


def tar_devices(path: Path) -> Path:
    """A tar holding character and block devices and a FIFO (what /dev would look like)."""
    with tarfile.open(path, "w") as tf:
        _tar_add(tf, "dev/null", type=tarfile.CHRTYPE, devmajor=1, devminor=3)
        _tar_add(tf, "dev/sda", type=tarfile.BLKTYPE, devmajor=8, devminor=0)
        _tar_add(tf, "dev/kmsg", type=tarfile.CHRTYPE, devmajor=1, devminor=11)
        _tar_add(tf, "pipe", type=tarfile.FIFOTYPE)
        _tar_add(tf, "config.json", b'{"model_type": "llama"}')
    return path


# -- hostile file contents -------------------------------------------------------------------

BILLION_LAUGHS = "\n".join([
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    *(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
      f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]" for i in range(8)),
    "license: *i",
]) + "\n"


def yaml_laughs(root: Path) -> Path:
    """A model card and a YAML config that are billion-laughs alias bombs."""
    root.mkdir(parents=True)
    (root / "README.md").write_text("---\n" + BILLION_LAUGHS + "---\n# Model\n")
    (root / "conf.yaml").write_text(BILLION_LAUGHS)
    return root


def deep_json(root: Path, depth: int = 200_000) -> Path:
    """config.json nested ``depth`` lists deep; tokenizer_config.json nested objects."""
    root.mkdir(parents=True)
    (root / "config.json").write_text("[" * depth + "]" * depth)
    (root / "tokenizer_config.json").write_text('{"a":' * depth + "1" + "}" * depth)
    return root


def _short_unicode(text: str) -> bytes:
    raw = text.encode()
    return b"\x8c" + bytes([len(raw)]) + raw


def pickle_global(module: str, name: str, argument: str) -> bytes:
    """Protocol 0: ``GLOBAL module name``, then call it with one string (REDUCE)."""
    return f"c{module}\n{name}\n(V{argument}\ntR.".encode()


def pickle_stack_global(module: str, name: str, argument: str) -> bytes:
    """Protocol 4: module and name pushed as strings, memoised, fetched back, STACK_GLOBAL, REDUCE."""
    return (b"\x80\x04" + _short_unicode(module) + b"\x94" + _short_unicode(name) + b"\x94"
            + b"h\x00h\x01\x93\x94" + _short_unicode(argument) + b"\x85R.")


def pickles(root: Path, marker: str) -> Path:
    """Pickles that would run ``touch /tmp/<marker>-...`` if anything unpickled them."""
    root.mkdir(parents=True)
    touch = f"touch /tmp/{marker}-pwned"
    (root / "os_system.pkl").write_bytes(pickle_global("os", "system", touch))
    (root / "posix_system.bin").write_bytes(pickle_global("posix", "system", touch))
    (root / "eval.pkl").write_bytes(pickle_stack_global("builtins", "eval",
                                                        f"__import__('os').system('{touch}')"))
    (root / "exec.pickle").write_bytes(pickle_global("__builtin__", "exec",
                                                     f"import os; os.system('{touch}')"))
    (root / "getattr.pkl").write_bytes(pickle_stack_global("builtins", "getattr", "system"))
    torch = io.BytesIO()
    with zipfile.ZipFile(torch, "w") as zf:
        zf.writestr("archive/data.pkl", pickle_stack_global("subprocess", "check_output", touch))
        zf.writestr("archive/version", "3\n")
        zf.writestr("archive/data/0", b"\0" * 64)
    (root / "pytorch_model.bin").write_bytes(torch.getvalue())
    return root


def gguf_2_60_keys(path: Path) -> Path:
    """A GGUF v3 header claiming 2^60 metadata keys (and 2^60 tensors) in a tiny file."""
    path.write_bytes(b"GGUF" + struct.pack("<IQQ", 3, 1 << 60, 1 << 60) + b"\0" * 64)
    return path


def safetensors_2_63(path: Path) -> Path:
    """A safetensors file whose 8-byte header length claims 2^63 bytes."""
    path.write_bytes(struct.pack("<Q", 1 << 63) + b'{"__metadata__": {}}')
    return path
