"""Default export names: vendor-product-version, slugged."""

from __future__ import annotations

from desktop.core.memo.file_names import bom_file_name, memo_file_name, slug


def test_slug_keeps_plain_lower_case_words() -> None:
    assert slug("Acme AI, Inc.") == "acme-ai-inc"
    assert slug("Müller & Söhne GmbH") == "muller-sohne-gmbh"
    assert slug("../../etc/passwd") == "etc-passwd"
    assert slug("v1.2.0-rc1") == "v1.2.0-rc1"
    assert slug(None) == "" and slug("  ") == ""


def test_names_skip_missing_parts_and_never_make_a_path() -> None:
    delivery = {"vendor": "Acme AI, Inc.", "product": "Acme 7B Instruct", "version": "1.1"}
    assert memo_file_name(delivery) == "acme-ai-inc-acme-7b-instruct-1.1-review-memo.pdf"
    assert bom_file_name(delivery) == "acme-ai-inc-acme-7b-instruct-1.1-aibom.cdx.json"
    assert memo_file_name({"vendor": "", "product": "tiny/sample", "version": None}) == "tiny-sample-review-memo.pdf"
    assert memo_file_name({}) == "delivery-review-memo.pdf"
