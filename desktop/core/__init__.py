"""Qt-free core: intake, inventory, model files, licenses, checks, store, memos.

Nothing under ``desktop.core`` may import PySide6; the CLI, the tests and the UI all use it.
"""
