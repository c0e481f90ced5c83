"""Checks over a scanned delivery: the license knowledge base, lineage, checklist items, policy."""
