"""Memo HTML: Jinja2 with autoescape and StrictUndefined, firm overrides, inventory summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.core.memo.render import TemplateProblem, build_view, render_memo_html
from desktop.core.memo.snapshot import check_snapshot


def test_memo_html_holds_every_section(snapshot: dict[str, Any]) -> None:
    html = render_memo_html(snapshot)
    for text in ("Acme Legal LLP", "M-2026-017", "Jane Preparer", "Bob Approver",
                 "Example Vendor Ltd.", snapshot["delivery"]["fingerprint"],
                 "Approved with conditions", "Ship the NOTICE file with every copy",
                 "License covers the weights", "LICENSE lines 66-70", "NOTICE lines 1-3",
                 "Ask the vendor what modeling_sample.py does", "Apache License 2.0",
                 "Each phrase is read from the delivered text", "model.safetensors"):
        assert text in html, text
    for entry in snapshot["scan"]["files"]:
        assert entry["sha256"] in html


def test_values_are_escaped(snapshot: dict[str, Any]) -> None:
    snapshot["answers"][0]["rationale"] = "<script>alert(1)</script> & more"
    html = render_memo_html(snapshot)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html


def test_large_delivery_shows_a_summary_and_points_to_the_manifest(snapshot: dict[str, Any]) -> None:
    snapshot["scan"]["files"] = [
        {"path": f"shards/part-{i:05d}.bin", "size": 1000, "sha256": f"{i:064x}", "role": "data"}
        for i in range(2000)]
    snapshot["scan"]["files"][-1]["size"] = 5000
    view = build_view(snapshot, inventory_limit=500)
    assert not view["inventory"]["full"]
    assert view["inventory"]["by_folder"] == [{"name": "shards/", "files": 2000, "bytes": 2_004_000}]
    html = render_memo_html(snapshot, manifest_sha256="ab" * 32)
    assert "full list with every" in html and "ab" * 32 in html
    assert "part-01999.bin" in html            # among the largest files shown
    assert "part-00100.bin" not in html


def test_firm_template_overrides_and_unknown_values_fail_clearly(snapshot: dict[str, Any],
                                                                tmp_path: Path) -> None:
    firm = tmp_path / "firm"
    firm.mkdir()
    (firm / "memo.html.j2").write_text(
        "<p>{{ firm.name }} memo for {{ delivery.product }}</p>", encoding="utf-8")
    assert render_memo_html(snapshot, firm_templates=firm) == \
        "<p>Acme Legal LLP memo for tiny-sample-model</p>"
    (firm / "memo.html.j2").write_text("<p>{{ firm.partner }}</p>", encoding="utf-8")
    with pytest.raises(TemplateProblem, match="partner"):
        render_memo_html(snapshot, firm_templates=firm)
    (firm / "memo.html.j2").write_text("<p>{% if %}</p>", encoding="utf-8")
    with pytest.raises(TemplateProblem, match="syntax error on line 1"):
        render_memo_html(snapshot, firm_templates=firm)


def test_incomplete_snapshot_names_the_missing_part(snapshot: dict[str, Any]) -> None:
    del snapshot["delivery"]["fingerprint"]
    with pytest.raises(ValueError, match="'delivery' section lacks fingerprint"):
        check_snapshot(snapshot)
    with pytest.raises(ValueError, match="must be a mapping"):
        check_snapshot(["not", "a", "snapshot"])


def test_memo_from_the_store_has_a_license_row_per_component(memo_delivery, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.memo.render import license_rows
    from desktop.core.memo.snapshot import from_store
    from desktop.core.scan import ScanOptions, scan_path
    from desktop.core.store import open_store

    store = open_store(f"sqlite:///{tmp_path / 'reviews.db'}")
    review = store.create_review(scan_path(memo_delivery, options=ScanOptions(work_dir=tmp_path)),
                                 reviewer="Ada <ada@firm.example>", vendor="V", product="p", version="1",
                                 purpose="memo test")
    rows = license_rows(from_store(store, review))
    store.close()
    by_component = {(r["component"], r["key"]) for r in rows}
    assert ("License texts and notices", "apache-2.0") in by_component
    assert not any(r["component"] == "Whole delivery" for r in rows)


def test_memo_reads_like_a_memo_no_internal_ids_no_raw_times(snapshot: dict[str, Any]) -> None:
    import datetime as dt

    from desktop.core.memo.render import human_size, to_the_minute

    snapshot["firm"]["privilege"] = "Privileged & Confidential: attorney work product"
    snapshot["answers"][0]["decided_by"] = {"name": "Jane Preparer", "email": "jane@acme-legal.example"}
    snapshot["answers"][0]["decided_at"] = "2026-01-08T11:05:42.123456+00:00"
    html = render_memo_html(snapshot)
    assert "Privileged &amp; Confidential: attorney work product" in html
    for label in (">To<", ">From<", ">Date<", ">Re<"):
        assert label in html, label
    assert "Clearance of tiny-sample-model version 1.0 from Example Vendor Ltd." in html
    assert "aireview-default checklist, version 1" in html
    for answer in snapshot["answers"]:
        assert f"({answer['item']})" not in html, answer["item"]
    assert "2026-01-08T11:05" not in html and "+00:00" not in html and ".123456" not in html
    assert "Firm not named" not in render_memo_html({**snapshot, "firm": {"name": "", "matter": ""}})
    utc = dt.UTC
    assert to_the_minute("2026-01-08T11:05:42.123456+00:00", utc) == "8 January 2026, 11:05 UTC"
    assert to_the_minute("2026-01-04", utc) == "4 January 2026"
    assert human_size(1_500_000) == "1.5 MB" and human_size(999) == "999 B"
