"""公开栏: every board with its counts on the left, what is on the selected board on the right,
with 撤下, 添加照片 and 查看照片 for the selected posting."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QPixmap, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from govdesk.core.notices import Posting
from govdesk.gui import messages, printing_actions, ui_state
from govdesk.gui.guard import attempt
from govdesk.gui.models.board_models import (
    NOTICE_ID_ROLE,
    BoardTableModel,
    PostingTableModel,
    cn_date,
)
from govdesk.gui.widgets import ElideMiddleDelegate, data_table, select_row
from govdesk.operations import boards as board_ops
from govdesk.operations import postings as posting_ops
from govdesk.operations.context import Context, can
from govdesk.operations.dashboard import BoardStatus

PHOTO_FILTER = "图片 (*.jpg *.jpeg *.png)"
NO_PERMISSION = "当前账号没有张贴和撤下的权限"
INDEX_COLUMN_MAX = 150  # px; 索引号 are ~30 characters


def _fit_columns(view: QTableView, stretch: int, caps: dict[int, int] | None = None) -> None:
    """Size columns to their contents, one stretching; a capped column (the long 索引号) is
    cut in the middle at its cap so the 标题 keeps the room — the tooltip shows it whole."""
    header = view.horizontalHeader()
    for c in range(view.model().columnCount()):
        header.setSectionResizeMode(
            c,
            QHeaderView.ResizeMode.Stretch
            if c == stretch
            else QHeaderView.ResizeMode.ResizeToContents,
        )
    for c, cap in (caps or {}).items():
        if c < view.model().columnCount():
            width = min(max(view.sizeHintForColumn(c), header.sectionSizeHint(c)), cap)
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(c, width)


class PhotoDialog(QDialog):
    """A board photo, scaled to fit the window (and rescaled when the window is resized)."""

    def __init__(self, path: Path, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.pixmap = QPixmap(str(path))
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setMinimumSize(200, 150)
        caption = QLabel(title)
        caption.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.image, 1)
        layout.addWidget(caption)
        layout.addWidget(buttons)
        screen = self.screen().availableSize() if self.screen() else QSize(1280, 800)
        size = self.pixmap.size().boundedTo(
            QSize(screen.width() * 3 // 4, screen.height() * 3 // 4)
        )
        self.resize(max(size.width(), 320), max(size.height() + 80, 240))
        self._rescale()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._rescale()

    def _rescale(self) -> None:
        if self.pixmap.isNull():
            return
        area = self.image.size()
        self.image.setPixmap(
            self.pixmap.scaled(
                area,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )


class BoardsPage(QWidget):
    open_notice = Signal(int)

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._loaded = False
        self.photo_dialog: PhotoDialog | None = None
        today = ctx.today()

        self.board_model = BoardTableModel(self)
        self.posting_model = PostingTableModel(today, self)

        root = QVBoxLayout(self)
        root.setContentsMargins(16, 12, 16, 12)
        title = QLabel("公开栏")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        root.addWidget(title)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        root.addWidget(splitter, 1)

        # ---- left: the boards
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.board_view = data_table(self.board_model)
        left_layout.addWidget(self.board_view, 1)
        legend = QLabel("红色底纹：有公示期已结束仍在栏上的信息")
        legend.setStyleSheet("color: #777;")
        left_layout.addWidget(legend)
        splitter.addWidget(left)

        # ---- right: what is on the selected board
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        self.board_title = QLabel()
        font = self.board_title.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.board_title.setFont(font)
        self.board_info = QLabel()
        self.board_info.setStyleSheet("color: #555;")
        self.board_info.setWordWrap(True)
        right_layout.addWidget(self.board_title)
        right_layout.addWidget(self.board_info)

        options = QHBoxLayout()
        self.show_removed = QCheckBox("显示已撤下的记录")
        self.show_removed.toggled.connect(self._load_postings)
        options.addWidget(self.show_removed)
        options.addStretch(1)
        right_layout.addLayout(options)

        self.posting_view = data_table(self.posting_model)
        self.posting_view.setItemDelegateForColumn(0, ElideMiddleDelegate(self.posting_view))
        self.posting_view.setToolTip("双击一行打开这条信息")
        right_layout.addWidget(self.posting_view, 1)

        buttons = QHBoxLayout()
        self.take_down_button = QPushButton("撤下…")
        self.take_down_button.setToolTip("到现场撤下后，选中这一条点这里登记（撤下日期记为今天）")
        self.add_photo_button = QPushButton("添加照片…")
        self.add_photo_button.setToolTip("为选中的张贴记录添加现场照片（JPG 或 PNG）")
        self.view_photo_button = QPushButton("查看照片")
        self.permission_note = QLabel(NO_PERMISSION)
        self.permission_note.setStyleSheet("color: #8a5a00;")
        buttons.addWidget(self.take_down_button)
        buttons.addWidget(self.add_photo_button)
        buttons.addWidget(self.view_photo_button)
        self.print_sheet_button = QPushButton("打印清单…")
        self.print_sheet_button.setToolTip("打印这个公开栏的在栏信息清单，带到现场核对")
        self.print_batch_button = QPushButton("打印在栏信息…")
        self.print_batch_button.setToolTip("把这个公开栏上现有的信息合成一个 PDF，前附目录")
        buttons.addWidget(self.print_sheet_button)
        buttons.addWidget(self.print_batch_button)
        buttons.addSpacing(12)
        buttons.addWidget(self.permission_note)
        buttons.addStretch(1)
        right_layout.addLayout(buttons)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([440, 730])

        self.take_down_button.clicked.connect(self._take_down_selected)
        self.add_photo_button.clicked.connect(self._add_photo)
        self.view_photo_button.clicked.connect(self._view_photo)
        self.print_sheet_button.clicked.connect(self._print_sheet)
        self.print_batch_button.clicked.connect(self._print_batch)
        self.board_view.selectionModel().selectionChanged.connect(self._load_postings)
        self.posting_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.posting_view.doubleClicked.connect(self._open_row)
        self._update_buttons()

    # ---- loading ------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        if not self._loaded:
            self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        self._loaded = True
        board_id = self.selected_board_id()
        self.board_model.set_records(board_ops.board_statuses(self._ctx, self._ctx.today()))
        _fit_columns(self.board_view, stretch=1)
        row = self.board_model.row_of(lambda s: s.board.id == board_id) if board_id else None
        if row is None and self.board_model.rowCount():
            row = 0
        if row is not None:
            self.select_board_row(row)  # loads the postings through selectionChanged
        self._load_postings()

    def select_board_row(self, row: int) -> None:
        self.board_view.selectionModel().select(
            self.board_model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.board_view.scrollTo(self.board_model.index(row, 0))

    def select_board(self, board_id: int) -> None:
        row = self.board_model.row_of(lambda s: s.board.id == board_id)
        if row is not None:
            self.select_board_row(row)

    def selected_board(self) -> BoardStatus | None:
        rows = self.board_view.selectionModel().selectedRows()
        return self.board_model.record(rows[0].row()) if rows else None

    def selected_board_id(self) -> int | None:
        status = self.selected_board()
        return status.board.id if status else None

    def selected_posting(self) -> Posting | None:
        rows = self.posting_view.selectionModel().selectedRows()
        return self.posting_model.posting(rows[0].row()) if rows else None

    def select_posting(self, posting_id: int) -> None:
        select_row(self.posting_view, self.posting_model.row_of(lambda p: p.id == posting_id))

    def _load_postings(self, *_: object) -> None:
        status = self.selected_board()
        keep = self.selected_posting()
        today = self._ctx.today()
        if status is None:
            self.board_title.setText("请在左侧选择一个公开栏")
            self.board_info.setText("")
            self.posting_model.set_postings(
                [], today=today, show_removed=self.show_removed.isChecked()
            )
        else:
            board = status.board
            self.board_title.setText(f"{board.code}　{board.name}")
            parts = [board.kind.value, board.owner_name]
            if board.location:
                parts.append(f"位置：{board.location}")
            if not board.active:
                parts.append("已停用")
            parts.append(
                f"在栏 {status.on_board} 条"
                + (f"，其中 {status.overdue} 条公示期已结束，应撤下" if status.overdue else "")
            )
            self.board_info.setText("　·　".join(p for p in parts if p))
            postings = posting_ops.postings_on_board(
                self._ctx, board.id, current_only=not self.show_removed.isChecked()
            )
            self.posting_model.set_postings(
                postings, today=today, show_removed=self.show_removed.isChecked()
            )
        _fit_columns(self.posting_view, stretch=1, caps={0: INDEX_COLUMN_MAX})
        if keep is not None:
            self.select_posting(keep.id)
        self._update_buttons()

    # ---- buttons ------------------------------------------------------------------------------

    def _update_buttons(self, *_: object) -> None:
        allowed = can(self._ctx.user, "posting.manage")
        posting = self.selected_posting()
        self.take_down_button.setEnabled(allowed and posting is not None and posting.is_current)
        self.add_photo_button.setEnabled(allowed and posting is not None)
        self.view_photo_button.setEnabled(posting is not None and bool(posting.photo))
        self.permission_note.setVisible(not allowed)
        board = self.selected_board()
        self.print_sheet_button.setEnabled(board is not None)
        self.print_batch_button.setEnabled(board is not None and board.on_board > 0)

    def _print_sheet(self) -> None:
        board = self.selected_board()
        if board is not None:
            printing_actions.preview_board_sheet(self, self._ctx, board.board.id, board.board.code)

    def _print_batch(self) -> None:
        board = self.selected_board()
        if board is not None:
            printing_actions.preview_board_batch(self, self._ctx, board.board.id, board.board.code)

    def _open_row(self, index: QModelIndex) -> None:
        notice_id = index.siblingAtColumn(0).data(NOTICE_ID_ROLE)
        if notice_id is not None:
            self.open_notice.emit(int(notice_id))

    def _after_change(self, posting_id: int) -> None:
        self.refresh()
        self.select_posting(posting_id)

    def _take_down_selected(self) -> None:
        posting = self.selected_posting()
        if posting is None or not posting.is_current:
            return
        today = self._ctx.today()
        text = (
            f"确定已把“{posting.notice_title}”从“{posting.board_name}”撤下吗？\n"
            f"撤下日期记为今天（{cn_date(today)}）。"
        )
        if posting.planned_removal is not None and posting.planned_removal > today:
            text += f"\n\n注意：公示期到 {cn_date(posting.planned_removal)} 才结束，现在撤下是提前撤下。"
        if not messages.confirm(self, text, "撤下公示", ok="撤下"):
            return
        if attempt(self, lambda: posting_ops.take_down(self._ctx, posting.id)) is not None:
            self._after_change(posting.id)

    def _choose_photo(self) -> str | None:
        """Ask for a photo file; tests replace this method."""
        start = ui_state.last_dir("board_photos")
        path, _ = QFileDialog.getOpenFileName(self, "选择张贴照片", start, PHOTO_FILTER)
        if path:
            ui_state.set_last_dir("board_photos", str(Path(path).parent))
        return path or None

    def _add_photo(self) -> None:
        posting = self.selected_posting()
        if posting is None:
            return
        path = self._choose_photo()
        if not path:
            return
        if attempt(self, lambda: posting_ops.attach_photo(self._ctx, posting.id, path)) is not None:
            self._after_change(posting.id)

    def _view_photo(self) -> None:
        posting = self.selected_posting()
        if posting is None or not posting.photo:
            return
        path = posting_ops.photo_path(self._ctx, posting.photo)
        if path is None or not path.is_file():
            messages.warn(self, "照片文件找不到了，可能已被移动或删除。请重新添加照片。")
            return
        title = (
            f"{posting.board_name}　{posting.notice_title}（张贴于 {cn_date(posting.posted_on)}）"
        )
        dialog = PhotoDialog(path, title, self)
        if dialog.pixmap.isNull():
            messages.warn(self, "这张照片无法显示，文件可能已损坏。请重新添加照片。")
            return
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.photo_dialog = dialog
        dialog.finished.connect(self._photo_closed)
        dialog.open()

    def _photo_closed(self) -> None:
        self.photo_dialog = None
