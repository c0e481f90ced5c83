"""Hand-made deliveries for the obligations tests: terms written for the tests, never copied."""

from __future__ import annotations

from pathlib import Path

from desktop.core.licenses.library import reference_dir
from desktop.core.licenses.reference_file import read_reference
from desktop.core.sample import sample_weights

ACME_TERMS = """ACME OPEN MODEL LICENSE AGREEMENT

1. Definitions. "Model" means the weights and code delivered with this agreement.

2. Grant. Acme grants you a worldwide, non-exclusive, royalty-free license to use, copy, modify and
distribute the Model, including for commercial purposes, subject to this agreement.

3. Attribution. If you distribute the Model or a product that uses it, you must display "Built with Acme"
on a related website or in the product documentation, and you must include "Acme" at the beginning of the
name of any model derived from the Model.

4. Notice. You must retain the following attribution notice within a "Notice" text file distributed as a
part of such copies: "Acme Model is licensed under the Acme Open Model License, Copyright Acme Corp."

5. Commercial threshold. If, on the Acme Model release date, the monthly active users of the products or
services made available by you exceed 50 million monthly active users in the preceding calendar month,
you must request a license from Acme, which Acme may grant in its sole discretion.

6. Registration. Before any commercial use, you must register with Acme at the Acme developer portal.

7. Use policy. Your use of the Model must comply with the Acme Acceptable Use Policy available at
https://acme.example/aup, which is incorporated by reference into this agreement. You must include the
use restrictions of the Acceptable Use Policy in any agreement governing the use of the Model by downstream users.

8. Outputs. You may not use the outputs of the Model to train or improve any other large language model.

9. Territory. The rights granted under this agreement are not granted to individuals or companies
domiciled in the European Union.

10. Modified files. You must cause any modified files to carry prominent notices stating that you changed the files.

11. Law. This agreement is governed by the laws of the State of Delaware.
"""

PLAIN_THRESHOLD_TERMS = """BETA MODEL TERMS

1. Grant. Beta grants you a license to use and distribute the model weights.

2. Scale. This license covers services with no more than 2 million monthly active users.

3. Law. These terms are governed by the laws of England and Wales.
"""

NOTICE = "Tiny Model\nCopyright 2026 Example Vendor Ltd.\n\nThis product includes software developed by Example Vendor Ltd.\n"


def apache_text() -> str:
    """The Apache License 2.0 from the reference library (written into the delivery at test time)."""
    return read_reference(reference_dir() / "apache-2.0.LICENSE").text


def make(folder: Path, files: dict[str, str | bytes]) -> Path:
    """A delivery folder holding ``files`` and a tiny safetensors model."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.safetensors").write_bytes(sample_weights())
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def mit_text() -> str:
    """The MIT License from the reference library."""
    return read_reference(reference_dir() / "mit.LICENSE").text


CODE_UNDER_MIT = '# SPDX-License-Identifier: MIT\n"""Tokenizer helpers."""\n\n\ndef split(text):\n    return text.split()\n'

DELTA_TERMS = """DELTA MODEL TERMS

1. Grant. Delta grants you a license to use, reproduce and distribute the Delta model and its weights.

2. Distribution. Any copy of the model you distribute must be accompanied by a "Notice" text file that
contains the following notice: "Delta is provided under and subject to the Delta Model Terms."

3. Restrictions. You may not use the model for military purposes or to break the law. The use-based
restrictions of this section must be included as an enforceable provision in any agreement under which
you make the model available to your users.

4. Law. These terms are governed by the laws of the State of New York.
"""
