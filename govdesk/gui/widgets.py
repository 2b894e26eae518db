"""Small pieces the pages share: the read-only data table and the middle-eliding delegate."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QAbstractItemModel, QDate, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
)


class ElideMiddleDelegate(QStyledItemDelegate):
    """Cuts text in the middle: a 索引号 keeps its year and sequence number in view."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle


def select_row(view: QTableView, row: int | None) -> None:
    """Select a whole row (ignores None, e.g. a record no longer listed)."""
    if row is not None:
        view.selectionModel().select(
            view.model().index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )


def data_table(model: QAbstractItemModel, *, select_rows: bool = True) -> QTableView:
    """A read-only table over ``model``: one row selected at a time (or single cells, for the
    statistics cross tables), no row numbers, compact rows, left-aligned headers."""
    view = QTableView()
    view.setModel(model)
    if select_rows:
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    else:
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 12)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    # Size columns from the first rows only: measuring a thousand rows at every reset costs
    # hundreds of milliseconds on a large register.
    header.setResizeContentsPrecision(50)
    header.setMinimumSectionSize(52)  # room around short headers
    if select_rows:
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return view


def qdate(d: date) -> QDate:
    """A Python date as a QDate (for QDateEdit and the calendars)."""
    return QDate(d.year, d.month, d.day)


def pydate(q: QDate) -> date:
    """A QDate back as a Python date."""
    return date(q.year(), q.month(), q.day())
