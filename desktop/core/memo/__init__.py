"""Signed review memos, their verification, reviewer identities and the AI-BOM.

Import the pieces from their modules (nothing is loaded eagerly)::

    snapshot = snapshot.from_store(store, review_id)              # or a hand-built Snapshot
    memo = export.export_memo(snapshot, identity.open_identity(p12, pw), out, desktop.pdf.html_to_pdf)
    export.record_memo(store, review_id, memo)
    export.countersign_memo(memo.path, approver_identity, out2)   # second signature
    verify.verify_memo(pdf, trust=identity.trust_roots(), delivery=path)   # verify --json dict
    bom.cyclonedx_json(snapshot)                                  # CycloneDX 1.6, schema-checked
"""

import warnings

# pyHanko imports cryptography's DSA key classes (pyhanko/sign/signers/pdf_cms.py), and
# cryptography 51 deprecates every public DSA name (pyca/cryptography pull request #15597,
# "Deprecate DSA"). We never create or load DSA keys; the warning is pyHanko's to fix, so it
# is silenced here, by its exact message and only when raised from pyHanko's modules, before
# any memo module imports pyHanko. pyproject.toml's pytest filters carry the same exception.
warnings.filterwarnings(
    "ignore", message=r"DSA is deprecated and support will be removed", module=r"pyhanko(\.|$)")
