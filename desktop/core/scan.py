"""``scan_path``: open a delivery, hash and inventory every member, read model files safely."""

from __future__ import annotations

import os
import stat
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from desktop.core import formats, inventory
from desktop.core.formats.model_card import card_metadata
from desktop.core.gc_pace import fewer_collections
from desktop.core.hashing import CHUNK, HashingReader, fingerprint
from desktop.core.intake import open_delivery
from desktop.core.intake.base import LimitExceeded, Limits, Member
from desktop.core.intake.walker import local_opener
from desktop.core.jobs import Cancelled, CancelToken, Report, no_report
from desktop.core.progress import ProgressTracker
from desktop.core.results import FileEntry, Problem, ScanResult
from desktop.core.workdir import sweep_stale

HEAD_BYTES = 64 << 10
SPOOL_IN_MEMORY = 32 << 20
IN_FLIGHT_PER_WORKER = 16
OFFLOAD_MAX_BYTES = 16 << 20  # local files up to this size may be read whole by a helper process
# Roles whose text stays in memory after the scan (evidence, clauses, the text viewer).
KEEP_TEXT_ROLES = frozenset({"license", "notice", "model_card", "agreement"})


@dataclass
class ScanOptions:
    """Knobs of a scan; the defaults are what ``aireview scan`` uses."""

    limits: Limits = field(default_factory=Limits)
    work_dir: Path | None = None
    workers: int = 0                       # 0: one per core, at least two
    identify: bool = True                  # fill each file's `licenses`
    library: Any = None                    # a loaded license library (loaded on demand when None)
    cache_dir: Path | None = None
    firm_dir: Path | None = None
    findings: bool = True                  # run the checklist rules (needs `identify` for license rules)
    policy: Path | None = None             # firm policy file (the default policy when None)
    checklist_dir: Path | None = None      # firm checklist folder


@dataclass
class _Context:
    cancel: CancelToken
    tracker: ProgressTracker
    work_dir: Path
    limits: Limits
    identify: Callable[[FileEntry], list[dict[str, Any]]] | None
    clauses: bool = False  # extract each license-bearing text's clauses as it is read


def scan_path(path: Path, *, report: Report = no_report, cancel: CancelToken | None = None,
              options: ScanOptions | None = None) -> ScanResult:
    """Scan a folder, archive or document; raises ``UnusableInput`` if it cannot be opened at all."""
    with fewer_collections():
        return _scan_path(path, report, cancel, options)


def _scan_path(path: Path, report: Report, cancel: CancelToken | None, options: ScanOptions | None) -> ScanResult:
    started = time.perf_counter()
    options = options or ScanOptions()
    cancel = cancel or CancelToken()
    path = Path(path)
    work_dir = options.work_dir or _default_work_dir()
    sweep_stale(work_dir)
    delivery = open_delivery(path, work_dir, options.limits)
    try:
        files_total, bytes_total, pdfs = _estimate(path) if delivery.kind == "folder" else (0, 0, False)
        identify = _identifier(options, files_total, _helper_modules(pdfs, options.findings))
        try:
            ctx = _Context(cancel, ProgressTracker(report, files_total, bytes_total), work_dir,
                           options.limits, identify, clauses=options.findings and identify is not None)
            workers = options.workers or max(2, os.cpu_count() or 2)
            if identify is not None and identify.helpers:
                # The helpers have cores of their own: this process works on the rest (more threads
                # would only contend for the GIL), plus threads that merely wait on a helper.
                own = options.workers or max(1, (os.cpu_count() or 2) - identify.helpers)
                workers = own + identify.capacity
            entries = _scan_members(delivery, ctx, workers)
        finally:
            if identify is not None:
                identify.close()
        ctx.tracker.finish()
        problems = list(delivery.problems)
    finally:
        delivery.close()
    result = ScanResult(
        source_path=str(path), source_kind=delivery.kind,
        fingerprint=fingerprint([(e.path, e.sha256) for e in entries]),
        files=entries, components=inventory.build_components(entries), problems=problems,
    )
    if options.findings:
        from desktop.core.checks.evaluate import evaluate_scan

        result.findings, result.license_components = evaluate_scan(result, options.policy, options.checklist_dir)
    result.seconds = time.perf_counter() - started
    return result


def _default_work_dir() -> Path:
    from desktop import paths
    return paths.work_dir()


def _helper_modules(pdfs: bool, clauses: bool) -> Callable[[], None]:
    """Imports the helper processes will need, run before they are forked so that they inherit
    the modules instead of each importing them again (the PDF readers are otherwise imported on
    the first PDF, the clause rules on the first license text)."""
    def load() -> None:
        if clauses:
            import desktop.core.checks.clauses  # noqa: F401
        if pdfs:
            import desktop.core.formats.pdf_text  # noqa: F401
    return load


def _identifier(options: ScanOptions, files_expected: int, before_fork: Callable[[], None]) -> Any:
    """``identify(entry)`` with ``close()``: a licenses.helper.Identifier, or None when not identifying."""
    if not options.identify:
        return None
    from desktop.core import licenses
    from desktop.core.licenses.helper import Identifier

    library = options.library
    if library is None:
        if options.cache_dir is None:
            from desktop import paths
            options.cache_dir = paths.cache_dir()
        library = licenses.load_library(options.cache_dir, options.firm_dir)
    return Identifier(library, files_expected=files_expected, before_fork=before_fork)


def _scan_members(delivery: Any, ctx: _Context, workers: int) -> list[FileEntry]:
    """Local files go to a thread pool; archive members are read in archive order."""
    slots = threading.BoundedSemaphore(workers * IN_FLIGHT_PER_WORKER)
    results: list[Future[FileEntry] | FileEntry] = []
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="scan")
    try:
        settled = 0  # results[:settled] hold entries, not futures (keeps memory flat on huge trees)
        for member in delivery.members(ctx.cancel):
            ctx.tracker.discovered(member.size)
            if delivery.kind == "folder" and member.local_path is not None and "!/" not in member.path:
                slots.acquire()
                future = pool.submit(_analyse_local, member, ctx)
                future.add_done_callback(lambda _f: slots.release())
                results.append(future)
            else:
                results.append(_analyse(member, ctx))
            while settled < len(results) and _is_settled(results[settled]):
                item = results[settled]
                results[settled] = item.result() if isinstance(item, Future) else item
                settled += 1
        entries = [r.result() if isinstance(r, Future) else r for r in results]
    except BaseException:
        ctx.cancel.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return entries


def _is_settled(item: Future[FileEntry] | FileEntry) -> bool:
    return not isinstance(item, Future) or item.done()


def _analyse_local(member: Member, ctx: _Context) -> FileEntry:
    """``_analyse`` for a file of a folder delivery: a small one goes to a helper process when one
    has room (the same code runs there, on the file itself)."""
    identify = ctx.identify
    if member.local_path is None or member.opener is None or member.kind != "file" \
            or member.size > OFFLOAD_MAX_BYTES or identify is None:
        return _analyse(member, ctx)
    ctx.cancel.check()
    future = identify.offload(_analyse_in_helper, member.path, member.size, member.local_path,
                              member.depth, member.problems, ctx.work_dir, ctx.limits, ctx.clauses)
    if future is None:
        return _analyse(member, ctx)
    ctx.tracker.started(member.path)
    while True:
        try:
            entry: FileEntry = future.result(timeout=0.1)
            break
        except FutureTimeout:
            ctx.cancel.check()
        except BrokenProcessPool:  # the helper died: read the file here
            return _analyse(member, ctx)
    ctx.tracker.add_bytes(entry.size)
    ctx.tracker.file_done()
    return entry


def _analyse_in_helper(path: str, size: int, local_path: Path, depth: int, problems: list[Problem],
                       work_dir: Path, limits: Limits, clauses: bool) -> FileEntry:
    """In a helper process: ``_analyse`` of one local file, with the helper's library."""
    from desktop.core.licenses.helper import identify_in_helper

    member = Member(path=path, size=size, opener=local_opener(local_path, size, limits),
                    local_path=local_path, depth=depth, problems=problems)
    ctx = _Context(CancelToken(), ProgressTracker(no_report), work_dir, limits, identify_in_helper,
                   clauses=clauses)
    return _analyse(member, ctx)


def _analyse(member: Member, ctx: _Context) -> FileEntry:
    """Hash one member, learn its role and format, keep its text, identify its licenses."""
    ctx.cancel.check()
    ctx.tracker.started(member.path)
    entry = FileEntry(path=member.path, size=member.size, sha256=None, problems=list(member.problems))
    if member.opener is None or member.kind != "file":
        entry.role = inventory.role_by_name(member.path)
        entry.format = member.kind if member.kind != "file" else "unknown"
        if member.link_target is not None:
            entry.metadata["link_target"] = member.link_target
    else:
        try:
            _read_member(member, entry, ctx)
        except Cancelled:
            raise
        except LimitExceeded as exc:
            entry.sha256 = None
            entry.problems.append(Problem(exc.code, f"{member.path}: {exc.message}"))
        except OSError as exc:
            entry.sha256 = None
            entry.problems.append(Problem("unreadable", f"{member.path}: cannot be read ({exc})"))
    if ctx.identify is not None and entry.sha256 is not None:
        entry.licenses = ctx.identify(entry)
    if entry.role == "code" or (entry.role not in KEEP_TEXT_ROLES and not entry.licenses):
        entry.text = None  # kept only for matching: code headers, docs without license text
    if ctx.clauses:
        from desktop.core.checks.clauses import entry_clauses

        entry.clauses = entry_clauses(entry)
    ctx.tracker.file_done()
    return entry


def _read_member(member: Member, entry: FileEntry, ctx: _Context) -> None:
    assert member.opener is not None
    with member.opener() as raw:
        reader = HashingReader(raw, ctx.cancel, on_bytes=ctx.tracker.add_bytes)
        head = reader.peek(HEAD_BYTES)
        name = member.path.rsplit("!/", 1)[-1]
        fmt = formats.detect_format(name, head)
        entry.format = fmt
        entry.role = inventory.role_by_name(member.path, fmt)
        reader.set_keep(inventory.keep_bytes(entry.role, fmt))
        if fmt in formats.SEEKABLE_FORMATS:
            info = _read_seekable(member, reader, fmt, name, ctx)
        else:
            info = _safe_read(fmt, reader, member.size, name)
            reader.drain()
        entry.sha256 = reader.hexdigest()
        entry.size = reader.count
        kept = reader.kept
        cut = reader.count > len(kept)
    if info is not None:
        entry.metadata.update(info.metadata)
        entry.problems.extend(info.problems)
        if info.pages is not None:
            if fmt == "pdf":
                entry.pages = info.pages
            else:
                entry.text = "\n".join(info.pages)
    if kept and entry.text is None:
        entry.text = inventory.decode_text(kept, cut)
    _settle_model_card(entry)


def _read_seekable(member: Member, reader: HashingReader, fmt: str, name: str,
                   ctx: _Context) -> formats.FormatInfo | None:
    """Zip-based formats and PDFs need random access: use the local file or a private spool."""
    if member.local_path is not None:
        reader.drain()
        with open(member.local_path, "rb") as local:
            return _safe_read(fmt, local, reader.count, name)
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY, dir=ctx.work_dir) as spool:
        while chunk := reader.read(CHUNK):
            if spool.tell() + len(chunk) > ctx.limits.max_spool_bytes:
                raise LimitExceeded("size-limit", f"larger than {ctx.limits.max_spool_bytes} bytes to read")
            spool.write(chunk)
        spool.seek(0)
        return _safe_read(fmt, spool, reader.count, name)  # type: ignore[arg-type]


def _safe_read(fmt: str, stream: BinaryIO | HashingReader, size: int,
               name: str) -> formats.FormatInfo | None:
    """Run a format reader; a reader bug becomes a problem, never a failed scan."""
    try:
        return formats.read_format(fmt, stream, size, name)  # type: ignore[arg-type]
    except (Cancelled, LimitExceeded, OSError):
        raise
    except Exception as exc:  # a reader must not crash the scan
        return formats.FormatInfo(format=fmt, problems=[
            Problem("reader-error", f"{name}: could not be read as {fmt} ({type(exc).__name__}: {exc})")])


def _settle_model_card(entry: FileEntry) -> None:
    """A README whose front matter carries card keys is the model card."""
    if entry.format != "markdown" or entry.text is None:
        return
    if not inventory.base_name(entry.path).lower().startswith("readme"):
        return
    data, _body, _line, problems = formats.split_front_matter(entry.text)
    if inventory.is_model_card(entry.path, data):
        entry.role = "model_card"
    if not entry.metadata and (data is not None or problems):
        entry.metadata.update(card_metadata(data) if data else {})
    for problem in problems:
        if problem not in entry.problems:
            entry.problems.append(problem)


def _estimate(root: Path) -> tuple[int, int, bool]:
    """Count files and bytes under a folder (no links followed) so progress has totals; and
    whether a file is named as a PDF."""
    files = total = 0
    pdfs = False
    stack = [str(root)]
    while stack:
        try:
            with os.scandir(stack.pop()) as it:
                for item in it:
                    try:
                        st = item.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    if stat.S_ISDIR(st.st_mode):
                        stack.append(item.path)
                    elif stat.S_ISREG(st.st_mode):
                        files += 1
                        total += st.st_size
                        pdfs = pdfs or item.name.lower().endswith(".pdf")
        except OSError:
            continue
    return files, total, pdfs
