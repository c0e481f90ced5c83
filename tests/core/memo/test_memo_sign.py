"""Signed memos checked two ways: our verifier (pyHanko) and poppler's pdfsig (independent)."""

from __future__ import annotations

import io
import json
import shutil
import unicodedata
from pathlib import Path
from typing import Any

import pypdf
import pytest
import tools

from desktop.cli import main
from desktop.core.memo.export import MemoError, countersign_memo, export_memo
from desktop.core.memo.manifest import MANIFEST_SCHEMA
from desktop.core.memo.verify import verify_memo
from desktop.pdf import html_to_pdf


@pytest.fixture(scope="module")
def nss(signed_memo: dict[str, Any]) -> str:
    folder = signed_memo["folder"] / "nss"
    spec = tools.nss_trust_db(folder, signed_memo["ids_dir"] / "jane.ca.pem", "jane-root")
    return _add_root(spec, signed_memo["ids_dir"] / "bob.ca.pem")


def _add_root(spec: str, ca: Path) -> str:
    import subprocess

    certutil = tools.require_tools()["certutil"]
    subprocess.run([str(certutil), "-A", "-d", spec, "-n", ca.stem, "-t", "CT,C,C", "-i", str(ca)],
                   check=True, capture_output=True, timeout=60)
    return spec


def _tampered(source: Path, target: Path) -> Path:
    """A copy with one byte of the signed range changed (inside the header comment line)."""
    data = bytearray(source.read_bytes())
    offset = data.index(b"\n") + 3
    data[offset] ^= 0x01
    target.write_bytes(bytes(data))
    return target


def test_memo_text_holds_decision_fingerprint_items_and_inventory(
        signed_memo: dict[str, Any], snapshot: dict[str, Any]) -> None:
    reader = pypdf.PdfReader(signed_memo["prepared"].path)
    text = unicodedata.normalize(
        "NFKC", " ".join(" ".join(page.extract_text() for page in reader.pages).split()))
    assert "Approved with conditions" in text
    assert snapshot["delivery"]["fingerprint"] in text.replace(" ", "")
    for answer in snapshot["answers"]:
        assert answer["title"] in text
    for entry in snapshot["scan"]["files"]:
        assert entry["path"] in text
        assert entry["sha256"] in text.replace(" ", "")
    manifest = json.loads(reader.attachments["manifest.json"][0])
    assert manifest["schema"] == MANIFEST_SCHEMA
    assert manifest["fingerprint"] == snapshot["delivery"]["fingerprint"]
    assert {f["path"]: f["sha256"] for f in manifest["files"]} == \
        {f["path"]: f["sha256"] for f in snapshot["scan"]["files"]}
    assert manifest["knowledge_version"] == "kb-test-0001"
    assert manifest["signer"]["cert_fingerprint"] == \
        signed_memo["identities"]["preparer"].info.cert_fingerprint


def test_pdfsig_and_verify_accept_both_signatures(signed_memo: dict[str, Any], nss: str) -> None:
    approved = signed_memo["approved"].path
    seen = tools.pdfsig(approved, nss)
    assert [s["field"] for s in seen] == ["PreparerSignature", "ApproverSignature"]
    assert [s["signer"] for s in seen] == ["Jane Preparer", "Bob Approver"]
    assert all(s["signature"] == "Signature is Valid." for s in seen)
    assert all(s["certificate"] == "Certificate is Trusted." for s in seen)
    assert [s["total"] for s in seen] == ["no", "yes"]   # the countersignature covers everything

    report = verify_memo(approved, trust=signed_memo["roots"])
    assert report["valid"] and report["trusted"], report["problems"]
    first, second = report["signatures"]
    assert (first["coverage"], first["modification_level"]) == ("ENTIRE_REVISION", "FORM_FILLING")
    assert (second["coverage"], second["modification_level"]) == ("ENTIRE_FILE", "NONE")
    assert first["signer"] == "Jane Preparer <jane@acme-legal.example>"
    assert second["signer"] == "Bob Approver <bob@acme-legal.example>"
    assert report["manifest"]["review_id"] == 42


def test_one_changed_byte_is_reported_by_pdfsig_and_verify(
        signed_memo: dict[str, Any], nss: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    for memo in (signed_memo["prepared"].path, signed_memo["approved"].path):
        changed = _tampered(memo, tmp_path / f"changed-{memo.name}")
        seen = tools.pdfsig(changed, nss)
        assert seen, "pdfsig listed no signature"
        assert seen[-1]["signature"] in ("Digest Mismatch.", "Signature is Invalid.")
        report = verify_memo(changed, trust=signed_memo["roots"])
        assert not report["valid"]
        assert "digest-mismatch" in {p["code"] for p in report["problems"]}
        assert main(["verify", str(changed), "--trust", str(signed_memo["ids_dir"] / "jane.ca.pem")]) == 1
        lines = capsys.readouterr().out.splitlines()
        assert lines[1] == "Document   CHANGED after signing"  # the headline, before who signed
        assert report["verdict"]["document"] == "changed"


def test_bytes_appended_after_the_last_signature_are_reported(
        signed_memo: dict[str, Any], nss: str, tmp_path: Path) -> None:
    appended = tmp_path / "appended.pdf"
    appended.write_bytes(signed_memo["prepared"].path.read_bytes() + b"\n% added later\n")
    assert tools.pdfsig(appended, nss)[0]["total"] == "no"
    report = verify_memo(appended, trust=signed_memo["roots"])
    assert not report["valid"]
    assert "changed-after-signing" in {p["code"] for p in report["problems"]}


def test_unknown_ca_is_reported_as_untrusted_but_intact(signed_memo: dict[str, Any]) -> None:
    report = verify_memo(signed_memo["approved"].path, trust=[])
    assert report["valid"] and not report["trusted"]
    assert all(s["intact"] and not s["trusted"] for s in report["signatures"])


def test_verify_with_the_delivery_reports_changed_added_removed(
        signed_memo: dict[str, Any], memo_delivery: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    memo = str(signed_memo["approved"].path)
    trust = ["--trust", str(signed_memo["ids_dir"] / "jane.ca.pem"),
             "--trust", str(signed_memo["ids_dir"] / "bob.ca.pem")]
    assert main(["verify", memo, "--delivery", str(memo_delivery), "--json", *trust]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["delivery"]["identical"] and report["valid"] and report["trusted"]

    copy = shutil.copytree(memo_delivery, tmp_path / "delivery")
    (copy / "config.json").write_text('{"model_type": "llama", "changed": true}', encoding="utf-8")
    (copy / "NOTICE").unlink()
    (copy / "extra.bin").write_bytes(b"\x00" * 10)
    assert main(["verify", memo, "--delivery", str(copy), "--json", *trust]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["valid"]
    assert report["delivery"] == {"identical": False, "changed": ["config.json"],
                                  "added": ["extra.bin"], "removed": ["NOTICE"],
                                  "files_checked": 10}
    assert main(["verify", memo, "--delivery", str(copy), "--trust", trust[1]]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == "Document   intact: not changed since it was signed"
    assert lines[2].startswith("Signed by  Jane Preparer <") and lines[2].endswith(", in this firm's trust list")
    assert lines[3].endswith("NOT in this firm's trust list (its certificate does not chain to a CA you trust)")
    assert [line for line in lines if line.startswith("Delivery")] == [
        "Delivery   changed: config.json", "Delivery   added: extra.bin", "Delivery   removed: NOTICE"]
    assert not any("VALID" in line for line in lines)


def test_unusable_inputs_exit_2_with_one_line(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    not_pdf = tmp_path / "memo.pdf"
    not_pdf.write_text("hello", encoding="utf-8")
    assert main(["verify", str(not_pdf)]) == 2
    assert main(["verify", str(tmp_path / "missing.pdf")]) == 2
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"\xff" * 200)
    assert main(["verify", str(broken)]) in (1, 2)
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines[0] == f"aireview: {not_pdf}: is not a PDF file"
    assert lines[1] == f"aireview: {tmp_path / 'missing.pdf'}: file does not exist"


def test_an_unsigned_pdf_is_invalid(tmp_path: Path) -> None:
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(html_to_pdf("<p>not signed</p>"))
    report = verify_memo(plain)
    assert not report["valid"]
    assert {"unsigned", "manifest-missing"} <= {p["code"] for p in report["problems"]}


def test_reexport_makes_a_new_file_and_refuses_undecided_reviews(
        signed_memo: dict[str, Any], snapshot: dict[str, Any], tmp_path: Path) -> None:
    preparer = signed_memo["identities"]["preparer"]
    first = export_memo(snapshot, preparer, tmp_path / "memo.pdf", html_to_pdf)
    second = export_memo(snapshot, preparer, tmp_path / "memo.pdf", html_to_pdf)
    assert (first.path.name, second.path.name) == ("memo.pdf", "memo-2.pdf")
    assert first.path.read_bytes() != second.path.read_bytes()
    assert not list(tmp_path.glob(".memo-*"))          # no temporary files left behind
    snapshot["review"]["status"] = "in-review"
    with pytest.raises(MemoError, match="is in-review; a memo can be exported only"):
        export_memo(snapshot, preparer, tmp_path / "memo.pdf", html_to_pdf)
    with pytest.raises(MemoError, match="already countersigned"):
        countersign_memo(signed_memo["approved"].path, signed_memo["identities"]["approver"],
                         tmp_path / "again.pdf", trust=signed_memo["roots"])


def test_countersigning_a_changed_memo_is_refused(signed_memo: dict[str, Any],
                                                  tmp_path: Path) -> None:
    changed = _tampered(signed_memo["prepared"].path, tmp_path / "changed.pdf")
    with pytest.raises(MemoError, match="cannot be countersigned"):
        countersign_memo(changed, signed_memo["identities"]["approver"], tmp_path / "out.pdf")
    assert not (tmp_path / "out.pdf").exists()


def test_signed_memo_is_a_readable_pdf_with_the_boxes_on_the_last_page(
        signed_memo: dict[str, Any]) -> None:
    reader = pypdf.PdfReader(io.BytesIO(signed_memo["approved"].path.read_bytes()))
    annotations = [a.get_object() for a in reader.pages[-1].get("/Annots", [])]
    names = sorted(str(a.get("/T")) for a in annotations if a.get("/FT") == "/Sig")
    assert names == ["ApproverSignature", "PreparerSignature"]
    for annotation in annotations:
        x1, y1, x2, y2 = (float(v) for v in annotation["/Rect"])
        assert x2 - x1 > 100 and y2 - y1 > 40
