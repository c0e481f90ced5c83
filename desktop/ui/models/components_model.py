"""The delivery as a tree: components (model, code, data, docs, agreements, license texts) > files.

Each node shows a role icon, a license badge and a risk marker (the worst finding level whose
evidence points into it).  ``ROW`` returns the :class:`Component` or :class:`FileEntry`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QModelIndex, QObject, Qt

from desktop.core.results import Component, FileEntry, ScanResult
from desktop.ui.icons import component_icon, level_icon, role_icon
from desktop.ui.models.table_base import ROW, SORT
from desktop.ui.review_data import file_level, human_size, level_rank, worst_level

RiskReasons = list[str]


def risk_reasons(entry: FileEntry, findings: list[dict[str, Any]]) -> RiskReasons:
    """Why a file carries its risk marker: each finding (not info) citing it, and its read problems."""
    reasons = [f"{f.get('level')}: {f.get('summary')}" for f in findings if f.get("level") != "info"
               and any(e.get("path") == entry.path for e in f.get("evidence") or [])]
    reasons += [f"medium: {p.message}" for p in entry.problems]
    return list(dict.fromkeys(reasons))

_ROOT = QModelIndex()
HEADERS = ("Name", "Licenses", "Risk", "Size")
NAME, LICENSES, RISK, SIZE = range(4)


def license_badge(entry: FileEntry) -> str:
    """The distinct license names (or SPDX ids) found in a file, short."""
    names = dict.fromkeys(str(m.get("spdx") or m.get("name") or m.get("key") or "?")
                          for m in entry.licenses if m.get("key") or m.get("status"))
    return ", ".join(names)


class ComponentsModel(QAbstractItemModel):
    """Two levels: components, then their files (internal id 0 = component, n + 1 = child of n)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._components: list[Component] = []
        self._files: list[list[FileEntry]] = []
        self._levels: dict[str, str | None] = {}
        self._component_levels: list[str | None] = []
        self._reasons: dict[str, RiskReasons] = {}

    def set_scan(self, scan: ScanResult | None) -> None:
        """Show ``scan`` (None empties the tree)."""
        self.beginResetModel()
        self._components, self._files, self._levels, self._component_levels = [], [], {}, []
        if scan is not None:
            by_path = {f.path: f for f in scan.files}
            placed: set[str] = set()
            for comp in scan.components:
                files = [by_path[p] for p in comp.files if p in by_path]
                placed.update(f.path for f in files)
                self._components.append(comp)
                self._files.append(files)
            rest = [f for f in scan.files if f.path not in placed]
            if rest:
                self._components.append(Component("other", "Other files", [f.path for f in rest],
                                                  sum(f.size for f in rest)))
                self._files.append(rest)
            self._levels = {f.path: file_level(f, scan.findings) for f in scan.files}
            self._reasons = {f.path: risk_reasons(f, scan.findings) for f in scan.files}
            self._component_levels = [
                worst_level([{"level": self._levels[f.path]} for f in files if self._levels[f.path]])
                for files in self._files]
        self.endResetModel()

    def index(self, row: int, column: int, parent: QModelIndex = _ROOT) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        if parent.internalId() == 0:
            return self.createIndex(row, column, parent.row() + 1)
        return QModelIndex()

    def parent(self, child: QModelIndex = _ROOT) -> QModelIndex:  # type: ignore[override]
        if not child.isValid() or child.internalId() == 0:
            return QModelIndex()
        return self.createIndex(int(child.internalId()) - 1, 0, 0)

    def rowCount(self, parent: QModelIndex = _ROOT) -> int:
        if not parent.isValid():
            return len(self._components)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._files[parent.row()])
        return 0

    def columnCount(self, parent: QModelIndex = _ROOT) -> int:
        return len(HEADERS)

    def _node(self, index: QModelIndex) -> tuple[Component | FileEntry, str | None]:
        if index.internalId() == 0:
            return self._components[index.row()], self._component_levels[index.row()]
        entry = self._files[int(index.internalId()) - 1][index.row()]
        return entry, self._levels.get(entry.path)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node, level = self._node(index)
        column = index.column()
        if role == ROW:
            return node
        if role in (Qt.ItemDataRole.DisplayRole, SORT):
            return self._display(node, level, column, sort=role == SORT)
        if role == Qt.ItemDataRole.DecorationRole:
            if column == NAME:
                return component_icon(node.kind) if isinstance(node, Component) else role_icon(node.role)
            if column == RISK:
                return level_icon(level)
        if role == Qt.ItemDataRole.ToolTipRole and column == NAME and isinstance(node, FileEntry):
            problems = "\n".join(p.message for p in node.problems)
            return f"{node.path}\n{node.role} · {node.format}" + (f"\n{problems}" if problems else "")
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole) and column == RISK:
            return "\n".join(self.reasons(node)) or (level or None)
        return None

    def reasons(self, node: Component | FileEntry) -> RiskReasons:
        """Why ``node`` carries its risk marker (a component: its files' reasons, each with the file)."""
        if isinstance(node, FileEntry):
            return self._reasons.get(node.path, [])
        files = self._files[self._components.index(node)] if node in self._components else []
        return [f"{f.path} — {r}" for f in files for r in self._reasons.get(f.path, [])]

    def _display(self, node: Component | FileEntry, level: str | None, column: int, sort: bool) -> Any:
        if column == NAME:
            return node.name if isinstance(node, Component) else node.path
        if column == LICENSES:
            if isinstance(node, FileEntry):
                return license_badge(node)
            index = self._components.index(node)
            return ", ".join(dict.fromkeys(b for f in self._files[index] if (b := license_badge(f))))
        if column == RISK:
            return level_rank(level) if sort else (level or "")
        size = node.bytes if isinstance(node, Component) else node.size
        return size if sort else human_size(size)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(HEADERS):
            return QCoreApplication.translate("ComponentsModel", HEADERS[section])
        return None

    def index_of_path(self, path: str) -> QModelIndex:
        """The index of the file ``path`` (invalid when it is not in the tree)."""
        for c, files in enumerate(self._files):
            for r, entry in enumerate(files):
                if entry.path == path:
                    return self.index(r, 0, self.index(c, 0))
        return QModelIndex()
