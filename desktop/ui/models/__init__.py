"""Item models over core data, one per file."""
