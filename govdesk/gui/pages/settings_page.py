"""设置: the township profile, the organisation's lists, user accounts, the 节假日 calendar,
the print fonts (打印字体), the approval chain (审批流程) and the screening lists (保密审查).

Everyone can look; only an admin can change anything (the operations check "settings.manage"
and "users.manage" themselves; the page disables its editing buttons so nobody is invited to try).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from govdesk.core.approvals import ChainConfig, Stage, chain_problem
from govdesk.core.errors import UserError
from govdesk.core.notices import check_index_pattern
from govdesk.core.org import Board, Township, User
from govdesk.gui import guard, messages
from govdesk.gui.dialogs.calendar_day_dialog import CalendarDayDialog, chinese_date
from govdesk.gui.dialogs.org_board_dialog import BoardDialog
from govdesk.gui.dialogs.org_item_dialog import OrgItemDialog
from govdesk.gui.dialogs.user_dialog import UserDialog
from govdesk.gui.dialogs.user_password_dialog import ResetPasswordDialog
from govdesk.gui.models.org_models import (
    BoardTableModel,
    CalendarDayTableModel,
    CategoryTableModel,
    ChannelTableModel,
    CommunityTableModel,
    FontStatusTableModel,
    RecordTableModel,
    UnitTableModel,
    UserTableModel,
    calendar_days,
)
from govdesk.operations import approvals, auth, lists, printing, screening
from govdesk.operations import calendar_days as calendar_ops
from govdesk.operations import notices as notice_ops
from govdesk.operations import org as org_ops
from govdesk.operations.context import Context, can

READ_ONLY_NOTE = "只有管理员可以修改设置"
FONT_FILE_FILTER = "TrueType 字体 (*.ttf *.ttc)"
FONTS_NOTE = (
    "打印通知、清单和台账时按下列顺序查找字体：本办指定的字体文件 → Windows 字体文件夹 → "
    "系统字体 → 替代字体。只能使用 TrueType 字体（.ttf 或 .ttc）；PostScript（CFF）轮廓的"
    " .otf 字体和授权不允许嵌入的字体不能用于打印。"
)
INDEX_HINT = "可用 {code}（统一社会信用代码）{year}（年份）{seq:05}（5 位流水号）{category}（类别）"
PLACEHOLDER_CODE = "000000000000000000"  # what operations.notices uses while the code is unset
MISSING_YEAR_TEXT = (
    "{year}年的节假日安排尚未录入：请按国务院办公厅通知添加放假和调休上班日期，"
    "否则期限计算只按周一至周五计算。"
)
COLUMN_PADDING = 24
NOTE_STYLE = "color: #666;"
BANNER_STYLE = (
    "background: #fff4ce; border: 1px solid #e0c060; border-radius: 3px; padding: 6px 10px;"
)


def _configure_table(view: QTableView) -> None:
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setHighlightSections(False)


def _fit_columns(view: QTableView) -> None:
    """Columns as wide as their contents plus some air (the last one stretches)."""
    view.resizeColumnsToContents()
    for column in range(view.model().columnCount() - 1):
        view.setColumnWidth(column, view.columnWidth(column) + COLUMN_PADDING)


def _note(text: str, *, wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setStyleSheet(NOTE_STYLE)
    return label


def _attempt(
    parent: QWidget, action: Callable[[], object], fields: Mapping[str, QWidget] | None = None
) -> bool:
    """guard.attempt, and on a UserError put the cursor in the field it names. True on success."""

    def run() -> bool:
        try:
            action()
        except UserError as exc:
            widget = (fields or {}).get(exc.field or "")
            if widget is not None:
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
            raise
        return True

    return guard.attempt(parent, run) is True


class _TableTab(QWidget):
    """Buttons in a row above a table, and an optional note under the buttons."""

    changed = Signal()  # something was written

    def __init__(self, ctx: Context, model: RecordTableModel, note: str = "") -> None:
        super().__init__()
        self.ctx = ctx
        self.model = model
        self.editable = False
        self.button_row = QHBoxLayout()
        self.view = QTableView()
        self.view.setModel(model)
        _configure_table(self.view)
        model.modelReset.connect(lambda: _fit_columns(self.view))
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.update_buttons())
        self.view.doubleClicked.connect(self._double_clicked)
        layout = QVBoxLayout(self)
        layout.addLayout(self.button_row)
        if note:
            layout.addWidget(_note(note))
        layout.addWidget(self.view)

    def add_button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(lambda _checked=False: slot())
        self.button_row.addWidget(button)
        return button

    def selected(self) -> Any | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def select_row(self, row: int | None) -> None:
        if row is None:
            self.view.clearSelection()
        else:
            self.view.selectRow(row)
        self.update_buttons()

    def select_id(self, row_id: object) -> None:
        self.select_row(self.model.row_of(lambda r: getattr(r, "id", None) == row_id))

    def set_editable(self, editable: bool) -> None:
        self.editable = editable
        self.update_buttons()

    def update_buttons(self) -> None:
        raise NotImplementedError

    def _double_clicked(self, _index: QModelIndex) -> None:
        pass


# ---- 本镇信息 --------------------------------------------------------------------------------


class TownshipTab(QWidget):
    """全称, 简称, 统一社会信用代码, 地址, 监督电话 and the 索引号 pattern, with a live preview."""

    changed = Signal()

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self.example_category = ""
        self._loaded: Township | None = None
        self.full_name_edit = QLineEdit()
        self.full_name_edit.setPlaceholderText("如：××县××镇人民政府（发文机关全称）")
        self.short_name_edit = QLineEdit()
        self.short_name_edit.setPlaceholderText("如：××镇")
        self.credit_code_edit = QLineEdit()
        self.credit_code_edit.setMaxLength(18)
        self.credit_code_edit.setPlaceholderText("18 位，如：11370000MB1234567X")
        self.address_edit = QLineEdit()
        self.phone_edit = QLineEdit()
        self.phone_edit.setPlaceholderText("如：0537-1234567")
        self.pattern_edit = QLineEdit()
        # Plain text without word wrap: a wrapping QLabel in a QFormLayout gets too little height.
        self.preview_label = QLabel()
        self.preview_label.setTextFormat(Qt.TextFormat.PlainText)
        self.preview_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.example_label = _note("", wrap=False)
        self.save_button = QPushButton("保存")
        self.save_button.clicked.connect(lambda _checked=False: self.save())
        self.saved_label = _note("", wrap=False)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow("全称：", self.full_name_edit)
        form.addRow("简称：", self.short_name_edit)
        form.addRow("统一社会信用代码：", self.credit_code_edit)
        form.addRow("", _note("用于生成索引号", wrap=False))
        form.addRow("地址：", self.address_edit)
        form.addRow("监督电话：", self.phone_edit)
        form.addRow("索引号格式：", self.pattern_edit)
        form.addRow("", _note(INDEX_HINT, wrap=False))
        preview = QHBoxLayout()
        preview.addWidget(self.preview_label)
        preview.addWidget(self.example_label, 1)
        form.addRow("下一个索引号：", preview)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.saved_label, 1)
        form.addRow("", buttons)

        box = QWidget()
        box.setLayout(form)
        box.setMaximumWidth(720)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addStretch(1)

        self.fields = {
            "全称": self.full_name_edit,
            "简称": self.short_name_edit,
            "统一社会信用代码": self.credit_code_edit,
            "地址": self.address_edit,
            "监督电话": self.phone_edit,
            "索引号格式": self.pattern_edit,
        }
        self.pattern_edit.textChanged.connect(self.update_preview)
        self.credit_code_edit.textChanged.connect(self.update_preview)
        for edit in self.fields.values():
            edit.textEdited.connect(lambda _text: self.saved_label.clear())

    def refresh(self) -> None:
        """Reload the profile, unless the form holds edits not yet saved (the window refreshes
        a page each time it is shown; switching pages must not throw typing away)."""
        categories = guard.attempt(self, lambda: lists.categories(self.ctx)) or []
        active = [c.name for c in categories if c.active]
        self.example_category = active[0] if active else "类别"
        if self.is_dirty():
            self.update_preview()
            return
        t = guard.attempt(self, lambda: lists.township(self.ctx)) or Township()
        self._loaded = t
        for edit, value in (
            (self.full_name_edit, t.full_name),
            (self.short_name_edit, t.short_name),
            (self.credit_code_edit, t.credit_code),
            (self.address_edit, t.address),
            (self.phone_edit, t.phone),
            (self.pattern_edit, t.index_pattern),
        ):
            edit.setText(value)
        self.saved_label.clear()
        self.update_preview()

    def is_dirty(self) -> bool:
        return self._loaded is not None and self.township() != self._loaded

    def township(self) -> Township:
        return Township(
            full_name=self.full_name_edit.text(),
            short_name=self.short_name_edit.text(),
            credit_code=self.credit_code_edit.text().strip().upper(),
            address=self.address_edit.text(),
            phone=self.phone_edit.text(),
            index_pattern=self.pattern_edit.text().strip(),
        )

    def update_preview(self) -> None:
        pattern = self.pattern_edit.text().strip()
        code = self.credit_code_edit.text().strip().upper() or PLACEHOLDER_CODE
        year = self.ctx.today().year
        try:
            check_index_pattern(pattern)
            number, seq = notice_ops.preview_index_number(
                self.ctx, pattern, code, year, self.example_category
            )
        except UserError as exc:
            self.preview_label.setStyleSheet("color: #b00020;")
            self.preview_label.setText(exc.message)
            self.example_label.hide()
            return
        self.preview_label.setStyleSheet("")
        self.preview_label.setText(number)
        self.example_label.setText(f"（{year}年第 {seq} 号；含类别时以“{self.example_category}”为例）")
        self.example_label.show()

    def save(self) -> bool:
        township = self.township()
        if _attempt(self, lambda: org_ops.update_township(self.ctx, township), self.fields):
            self._loaded = None
            self.refresh()
            self.saved_label.setText("已保存")
            self.changed.emit()
            return True
        return False

    def set_editable(self, editable: bool) -> None:
        for edit in self.fields.values():
            edit.setReadOnly(not editable)
        self.save_button.setEnabled(editable)


# ---- 站所科室 / 社区/村 / 公开栏 / 公开目录类别 / 公开方式 -----------------------------------------


class OrgListTab(_TableTab):
    """One of the org lists, with 新增 / 编辑 / 停用(启用) / 删除."""

    NOTE = "已被信息、公开栏或用户使用的记录不能删除，可以“停用”：停用后不再出现在新登记的选项中，历史记录保留。"

    def __init__(
        self, ctx: Context, table: str, model: RecordTableModel,
        load: Callable[[Context], list[Any]],
    ) -> None:
        super().__init__(ctx, model, self.NOTE)
        self.table = table
        self.label = org_ops.LABELS[table]
        self._load = load
        self.new_button = self.add_button("新增", self.add)
        self.edit_button = self.add_button("编辑", self.edit)
        self.toggle_button = self.add_button("停用", self.toggle_active)
        self.delete_button = self.add_button("删除", self.delete)
        self.button_row.addStretch(1)
        self.update_buttons()

    def refresh(self) -> None:
        keep = self.selected()
        records = guard.attempt(self, lambda: self._load(self.ctx)) or []
        self.model.set_records(records)
        self.select_id(keep.id if keep is not None else None)

    def update_buttons(self) -> None:
        record = self.selected()
        self.new_button.setEnabled(self.editable)
        for button in (self.edit_button, self.toggle_button, self.delete_button):
            button.setEnabled(self.editable and record is not None)
        self.toggle_button.setText("启用" if record is not None and not record.active else "停用")

    def _double_clicked(self, _index: QModelIndex) -> None:
        if self.editable:
            self.edit()

    # ---- what the dialog edits ----------------------------------------------------------------

    def values_of(self, record: Any) -> dict[str, Any]:
        values: dict[str, Any] = {"name": record.name}
        for attr in ("kind", "publish_limit_days"):
            if hasattr(record, attr):
                value = getattr(record, attr)
                values[attr] = getattr(value, "value", value)
        return values

    def ask(
        self, record: Any | None, save: Callable[[dict[str, Any]], object]
    ) -> dict[str, Any] | None:
        values = self.values_of(record) if record is not None else None
        return OrgItemDialog.ask(self, self.table, values, save=save)

    # ---- actions ------------------------------------------------------------------------------

    def add(self) -> None:
        created: list[int] = []

        def save(values: dict[str, Any]) -> None:
            created.append(org_ops.save_org_item(self.ctx, self.table, values))

        if self.ask(None, save) is not None:
            self.refresh()
            if created:
                self.select_id(created[-1])
            self.changed.emit()

    def edit(self) -> None:
        record = self.selected()
        if record is None:
            return

        def save(values: dict[str, Any]) -> None:
            org_ops.save_org_item(self.ctx, self.table, values, record.id)

        if self.ask(record, save) is not None:
            self.refresh()
            self.changed.emit()

    def toggle_active(self) -> None:
        record = self.selected()
        if record is None:
            return
        done = _attempt(
            self,
            lambda: org_ops.set_org_item_active(self.ctx, self.table, record.id, not record.active),
        )
        self.refresh()
        if done:
            self.changed.emit()

    def delete(self) -> None:
        record = self.selected()
        if record is None:
            return
        name = getattr(record, "name", "")
        if isinstance(record, Board):
            name = f"{record.code} {record.name}"
        if not messages.confirm(
            self, f"确定删除{self.label}“{name}”吗？删除后不能恢复。", ok="删除"
        ):
            return
        done = _attempt(self, lambda: org_ops.delete_org_item(self.ctx, self.table, record.id))
        self.refresh()
        if done:
            self.changed.emit()


class BoardListTab(OrgListTab):
    NOTE = "有张贴记录的公开栏不能删除，可以“停用”：停用后不再出现在张贴的选项中，历史记录保留。"

    def values_of(self, record: Board) -> dict[str, Any]:
        return {
            "code": record.code, "name": record.name, "kind": record.kind.value,
            "location": record.location, "community_id": record.community_id,
            "unit_id": record.unit_id, "paper": record.paper,
        }

    def ask(
        self, record: Any | None, save: Callable[[dict[str, Any]], object]
    ) -> dict[str, Any] | None:
        communities = guard.attempt(self, lambda: lists.communities(self.ctx))
        units = guard.attempt(self, lambda: lists.units(self.ctx))
        if communities is None or units is None:
            return None
        values = self.values_of(record) if record is not None else None
        return BoardDialog.ask(self, communities, units, values, save=save)


# ---- 用户 ------------------------------------------------------------------------------------


class UsersTab(_TableTab):
    model: UserTableModel

    def __init__(self, ctx: Context) -> None:
        super().__init__(
            ctx, UserTableModel(),
            "账号不能删除，不再使用的请在“编辑”中停用。连续 5 次输错密码的账号会锁定 15 分钟，可由管理员解锁。",
        )
        self.units: list[Any] = []
        self.add_user_button = self.add_button("新增用户", self.add)
        self.edit_button = self.add_button("编辑", self.edit)
        self.reset_button = self.add_button("重置密码", self.reset_password)
        self.unlock_button = self.add_button("解锁", self.unlock)
        self.button_row.addStretch(1)
        self.update_buttons()

    def refresh(self) -> None:
        keep = self.selected()
        users = guard.attempt(self, lambda: auth.list_users(self.ctx)) or []
        self.units = guard.attempt(self, lambda: lists.units(self.ctx)) or []
        self.model.set_users(users, {u.id: u.name for u in self.units}, self.ctx.clock())
        self.select_id(keep.id if keep is not None else None)

    def update_buttons(self) -> None:
        user = self.selected()
        self.add_user_button.setEnabled(self.editable)
        self.edit_button.setEnabled(self.editable and user is not None)
        self.reset_button.setEnabled(self.editable and user is not None)
        self.unlock_button.setEnabled(
            self.editable and user is not None
            and (self.model.locked(user) or user.failed_count > 0)
        )

    def _double_clicked(self, _index: QModelIndex) -> None:
        if self.editable:
            self.edit()

    def add(self) -> None:
        created: list[User] = []

        def save(v: dict[str, Any]) -> None:
            created.append(auth.create_user(
                self.ctx, v["login"], v["name"], v["role"], v["password"], v["unit_id"]
            ))

        if UserDialog.ask(self, self.units, save=save) is not None:
            self.refresh()
            if created:
                self.select_id(created[-1].id)
            self.changed.emit()

    def edit(self) -> None:
        user = self.selected()
        if user is None:
            return

        def save(v: dict[str, Any]) -> None:
            updated = auth.update_user(
                self.ctx, user.id, name=v["name"], role=v["role"], unit_id=v["unit_id"],
                active=v["active"],
            )
            if self.ctx.user is not None and self.ctx.user.id == updated.id:
                # The signed-in admin edited their own account: their session follows.
                self.ctx.user = updated

        if UserDialog.ask(self, self.units, user, save=save) is not None:
            page = self.parent_page()
            if page is not None:
                page.refresh()  # the signed-in admin may have edited their own role
            else:
                self.refresh()
            self.changed.emit()

    def reset_password(self) -> None:
        user = self.selected()
        if user is None:
            return

        def save(v: dict[str, Any]) -> None:
            auth.reset_password(self.ctx, user.id, v["password"])

        if ResetPasswordDialog.ask(self, user, save=save) is not None:
            self.refresh()
            self.changed.emit()
            messages.info(
                self, f"已重置“{user.name}”的密码。请当面告知本人，并提醒其登录后修改。"
            )

    def unlock(self) -> None:
        user = self.selected()
        if user is None:
            return
        done = _attempt(self, lambda: auth.unlock_user(self.ctx, user.id))
        self.refresh()
        if done:
            self.changed.emit()

    def parent_page(self) -> SettingsPage | None:
        widget = self.parentWidget()
        while widget is not None and not isinstance(widget, SettingsPage):
            widget = widget.parentWidget()
        return widget


# ---- 节假日 ----------------------------------------------------------------------------------


class CalendarTab(_TableTab):
    model: CalendarDayTableModel

    def __init__(self, ctx: Context) -> None:
        super().__init__(
            ctx, CalendarDayTableModel(),
            "列出该年周一至周五放假的日子和周末调休上班的日子。内置数据来自国务院办公厅每年的"
            "节假日安排通知；内置数据没有的年份，请在通知发布后按通知逐日添加。",
        )
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setSuffix(" 年")
        self.year_spin.setValue(ctx.today().year)
        self.year_spin.valueChanged.connect(lambda _v: self.refresh())
        self.button_row.addWidget(QLabel("年份："))
        self.button_row.addWidget(self.year_spin)
        self.button_row.addSpacing(16)
        self.add_off_button = self.add_button("添加放假日", lambda: self.add_day(False))
        self.add_workday_button = self.add_button("添加调休上班日", lambda: self.add_day(True))
        self.delete_button = self.add_button("删除", self.delete)
        self.button_row.addStretch(1)
        self.warning_label = QLabel()
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet(BANNER_STYLE)
        self.warning_label.hide()
        self.summary_label = _note("")
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, self.warning_label)
        layout.addWidget(self.summary_label)
        self.update_buttons()

    def year(self) -> int:
        return self.year_spin.value()

    def refresh(self) -> None:
        keep = self.selected()
        overrides = guard.attempt(self, lambda: calendar_ops.list_overrides(self.ctx)) or []
        calendar = self.ctx.calendar
        year = self.year()
        days = calendar_days(calendar, overrides, year)
        self.model.set_records(days)
        self.select_row(
            self.model.row_of(lambda d: d.day == keep.day) if keep is not None else None
        )
        missing = calendar.missing_next_year(self.ctx.today())
        self.warning_label.setText(MISSING_YEAR_TEXT.format(year=missing) if missing else "")
        self.warning_label.setVisible(missing is not None)
        off = sum(1 for d in days if not d.is_workday)
        makeup = sum(1 for d in days if d.is_workday)
        entered = sum(1 for d in days if d.entered)
        if calendar.known_year(year):
            summary = f"{year}年：周一至周五放假 {off} 天，周末调休上班 {makeup} 天"
            summary += f"，其中本办录入 {entered} 天。" if entered else "。"
        else:
            summary = f"{year}年的节假日安排尚未录入，目前按周一至周五计算。"
        self.summary_label.setText(summary)

    def update_buttons(self) -> None:
        day = self.selected()
        self.add_off_button.setEnabled(self.editable)
        self.add_workday_button.setEnabled(self.editable)
        self.delete_button.setEnabled(self.editable and day is not None and day.entered)
        self.delete_button.setToolTip(
            "" if day is None or day.entered else "内置的国务院通知数据不能删除，只能删除本办录入的日期"
        )

    def default_day(self, is_workday: bool) -> date:
        today = self.ctx.today()
        d = today if today.year == self.year() else date(self.year(), 1, 1)
        # A day off is a weekday, a make-up working day a Saturday or Sunday.
        while (d.weekday() >= 5) != is_workday:
            d += timedelta(days=1)
        return d

    def add_day(self, is_workday: bool) -> None:
        def save(v: dict[str, Any]) -> None:
            org_ops.set_calendar_day(self.ctx, v["day"], v["is_workday"], v["note"])

        values = CalendarDayDialog.ask(self, is_workday, self.default_day(is_workday), save=save)
        if values is None:
            return
        day: date = values["day"]
        if day.year != self.year():
            self.year_spin.setValue(day.year)  # refreshes
        else:
            self.refresh()
        self.select_row(self.model.row_of(lambda d: d.day == day))
        self.changed.emit()

    def delete(self) -> None:
        day = self.selected()
        if day is None or not day.entered:
            return
        if not messages.confirm(
            self, f"确定删除本办录入的{chinese_date(day.day)}（{day.kind_text}）吗？", ok="删除"
        ):
            return
        done = _attempt(self, lambda: org_ops.set_calendar_day(self.ctx, day.day, None))
        self.refresh()
        if done:
            self.changed.emit()


# ---- 打印字体 ---------------------------------------------------------------------------------


class FontsTab(_TableTab):
    """Which font file each role (标题/正文/一级标题/二级标题/页码) resolved to; an admin may
    choose a file per role or go back to the automatic choice."""

    model: FontStatusTableModel

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx, FontStatusTableModel(), FONTS_NOTE)
        self.overrides: dict[str, str] = {}
        self.choose_button = self.add_button("指定字体文件…", self.choose)
        self.clear_button = self.add_button("恢复自动", self.clear)
        self.button_row.addStretch(1)
        self.update_buttons()

    def refresh(self) -> None:
        keep = self.selected()
        self.overrides = guard.attempt(self, lambda: printing.font_overrides(self.ctx)) or {}
        statuses = guard.attempt(self, lambda: printing.font_status(self.ctx)) or []
        self.model.set_records(statuses)
        self.select_role(keep.role if keep is not None else None)

    def select_role(self, role: str | None) -> None:
        self.select_row(
            None if role is None else self.model.row_of(lambda s: s.role == role)
        )

    def update_buttons(self) -> None:
        status = self.selected()
        self.choose_button.setEnabled(self.editable and status is not None)
        self.clear_button.setEnabled(
            self.editable and status is not None and status.role in self.overrides
        )

    def _double_clicked(self, _index: QModelIndex) -> None:
        if self.editable:
            self.choose()

    def _choose_font_file(self, label: str, start: str) -> str:
        """The file the user picked, or "" (tests patch this)."""
        path, _filter = QFileDialog.getOpenFileName(
            self, f"选择{label}的字体文件", start, FONT_FILE_FILTER
        )
        return path

    def choose(self) -> None:
        status = self.selected()
        if status is None:
            return
        start = os.path.dirname(status.font.path) if status.font is not None else ""
        path = self._choose_font_file(status.label, start)
        if not path:
            return
        done = _attempt(self, lambda: printing.set_font_override(self.ctx, status.role, path))
        self.refresh()
        if done:
            self.changed.emit()

    def clear(self) -> None:
        status = self.selected()
        if status is None or status.role not in self.overrides:
            return
        done = _attempt(self, lambda: printing.set_font_override(self.ctx, status.role, None))
        self.refresh()
        if done:
            self.changed.emit()


# ---- 审批流程 ---------------------------------------------------------------------------------


CHAIN_NOTE = (
    "信息公开前逐级审批：经办人拟稿 → 下列勾选的环节（顺序固定）。保密审查是必经环节（先审查后公开）；"
    "最后一个环节须是分管领导或主要领导。修改只影响以后提交的审批单。"
)


class ChainTab(QWidget):
    """The office's chain: which stages (fixed order), the routine categories that stop at the
    分管领导, and whether one person may sign two review stages."""

    changed = Signal()

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self.editable = False
        self.stage_checks: dict[Stage, QCheckBox] = {}
        stages_box = QVBoxLayout()
        for i, stage in enumerate(Stage):
            check = QCheckBox(f"{i + 1}. {stage.value}（{stage.role.label}）")
            if stage is Stage.SECRECY:
                check.setText(check.text() + "　必经环节")
            check.toggled.connect(lambda _on: self.validate())
            self.stage_checks[stage] = check
            stages_box.addWidget(check)
        self.order_label = QLabel()
        self.order_label.setWordWrap(True)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #b00020;")
        self.routine_list = QListWidget()
        self.routine_list.setMaximumHeight(200)
        self.double_check = QCheckBox("允许同一人签署两个审核环节（小乡镇）")
        self.save_button = QPushButton("保存")
        self.save_button.clicked.connect(lambda _checked=False: self.save())
        self.saved_label = _note("", wrap=False)

        layout = QVBoxLayout(self)
        layout.addWidget(_note(CHAIN_NOTE))
        layout.addWidget(QLabel("<b>审批环节</b>"))
        layout.addLayout(stages_box)
        layout.addWidget(self.order_label)
        layout.addWidget(self.problem_label)
        layout.addWidget(QLabel("<b>常规事项，不报主要领导</b>"))
        layout.addWidget(_note("勾选的类别为常规事项：审批到分管领导为止，不报主要领导审批。"))
        layout.addWidget(self.routine_list)
        layout.addWidget(self.double_check)
        layout.addWidget(_note("保密审查和最终审批始终不能由同一人签署；经办人不能审批自己提交的信息。"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.saved_label, 1)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def refresh(self) -> None:
        config = guard.attempt(self, lambda: approvals.chain_config(self.ctx)) or ChainConfig()
        for stage, check in self.stage_checks.items():
            check.blockSignals(True)
            check.setChecked(stage in config.stages)
            check.blockSignals(False)
        self.routine_list.clear()
        for c in guard.attempt(self, lambda: lists.categories(self.ctx)) or []:
            if not c.active and c.id not in config.routine_categories:
                continue
            item = QListWidgetItem(c.name + ("" if c.active else "（已停用）"))
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if c.id in config.routine_categories
                               else Qt.CheckState.Unchecked)
            self.routine_list.addItem(item)
        self.double_check.setChecked(config.allow_double_signing)
        self.saved_label.clear()
        self.set_editable(self.editable)
        self.validate()

    def stages(self) -> tuple[Stage, ...]:
        return tuple(s for s, check in self.stage_checks.items() if check.isChecked())

    def routine_categories(self) -> frozenset[int]:
        items = (self.routine_list.item(i) for i in range(self.routine_list.count()))
        return frozenset(int(item.data(Qt.ItemDataRole.UserRole)) for item in items
                         if item.checkState() == Qt.CheckState.Checked)

    def validate(self) -> str:
        stages = self.stages()
        problem = chain_problem(stages)
        self.problem_label.setText(problem)
        self.problem_label.setVisible(bool(problem))
        self.order_label.setText("审批顺序：经办人拟稿 → " + " → ".join(s.value for s in stages)
                                 if stages else "")
        self.saved_label.clear()
        return problem

    def save(self) -> bool:
        problem = self.validate()
        if problem:
            return False  # the reason is shown under the stages
        config = ChainConfig(stages=self.stages(), routine_categories=self.routine_categories(),
                             allow_double_signing=self.double_check.isChecked())
        if _attempt(self, lambda: approvals.set_chain_config(self.ctx, config)):
            self.refresh()
            self.saved_label.setText("已保存，以后提交的审批单按此流程审批")
            self.changed.emit()
            return True
        return False

    def set_editable(self, editable: bool) -> None:
        self.editable = editable
        for stage, check in self.stage_checks.items():
            # 保密审查 cannot be switched off (先审查后公开).
            check.setEnabled(editable and stage is not Stage.SECRECY)
        self.routine_list.setEnabled(editable)
        self.double_check.setEnabled(editable)
        self.save_button.setEnabled(editable)


# ---- 保密审查 ---------------------------------------------------------------------------------


class ScreeningListsTab(QWidget):
    """The office's sensitive words and the numbers meant to be public (never flagged)."""

    changed = Signal()

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self.words_edit = QPlainTextEdit()
        self.words_edit.setPlaceholderText("每行一个，如：未定稿")
        self.numbers_edit = QPlainTextEdit()
        self.numbers_edit.setPlaceholderText("每行一个，如：0537-1234568（民政办办公电话）")
        self.phone_label = QLabel()
        self.phone_label.setWordWrap(True)
        self.save_button = QPushButton("保存")
        self.save_button.clicked.connect(lambda _checked=False: self.save())
        self.saved_label = _note("", wrap=False)
        columns = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(QLabel("<b>敏感词</b>"))
        left.addWidget(_note("信息中出现这些词时，保密审查环节会提示。密级标志（绝密、机密、秘密、"
                             "工作秘密、内部资料等）已内置，不必再填。"))
        left.addWidget(self.words_edit, 1)
        right = QVBoxLayout()
        right.addWidget(QLabel("<b>可以公开的号码</b>"))
        right.addWidget(_note("单位办公电话等依法公开的号码：筛查时不作为个人手机号提示。"))
        right.addWidget(self.phone_label)
        right.addWidget(self.numbers_edit, 1)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.saved_label, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addLayout(buttons)

    def refresh(self) -> None:
        township = guard.attempt(self, lambda: lists.township(self.ctx)) or Township()
        phone = township.phone.strip()
        words = guard.attempt(self, lambda: screening.sensitive_words(self.ctx)) or []
        # the 监督电话 comes from 本镇信息 and is always allowed: only the office's list is edited
        numbers = guard.attempt(self, lambda: screening.listed_public_numbers(self.ctx)) or []
        self.phone_label.setText(
            f"本镇监督电话 {phone} 始终允许公开（在“本镇信息”中修改）。" if phone
            else "本镇监督电话尚未填写（在“本镇信息”中填写后始终允许公开）。")
        self.words_edit.setPlainText("\n".join(words))
        self.numbers_edit.setPlainText("\n".join(numbers))
        self.saved_label.clear()

    @staticmethod
    def _lines(edit: QPlainTextEdit) -> list[str]:
        return [line.strip() for line in edit.toPlainText().splitlines() if line.strip()]

    def save(self) -> bool:
        words, numbers = self._lines(self.words_edit), self._lines(self.numbers_edit)
        if _attempt(self, lambda: screening.set_screening_lists(
                self.ctx, words=words, numbers=numbers)):
            self.refresh()
            self.saved_label.setText("已保存")
            self.changed.emit()
            return True
        return False

    def set_editable(self, editable: bool) -> None:
        self.words_edit.setReadOnly(not editable)
        self.numbers_edit.setReadOnly(not editable)
        self.save_button.setEnabled(editable)


# ---- the page --------------------------------------------------------------------------------


class SettingsPage(QWidget):
    """设置: one tab per kind of setting; editing needs the 管理员 role."""

    changed = Signal()  # something was written: other pages' lists may be out of date

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.readonly_note = QLabel(READ_ONLY_NOTE)
        self.readonly_note.setStyleSheet(BANNER_STYLE)
        self.readonly_note.hide()

        self.township_tab = TownshipTab(ctx)
        self.list_tabs: dict[str, OrgListTab] = {
            "unit": OrgListTab(ctx, "unit", UnitTableModel(), lists.units),
            "community": OrgListTab(ctx, "community", CommunityTableModel(),
                                    lists.communities),
            "board": BoardListTab(ctx, "board", BoardTableModel(), lists.boards),
            "category": OrgListTab(ctx, "category", CategoryTableModel(), lists.categories),
            "channel": OrgListTab(ctx, "channel", ChannelTableModel(), lists.channels),
        }
        self.users_tab = UsersTab(ctx)
        self.calendar_tab = CalendarTab(ctx)
        self.fonts_tab = FontsTab(ctx)
        self.chain_tab = ChainTab(ctx)
        self.screening_tab = ScreeningListsTab(ctx)
        from govdesk.gui.pages.letter_settings_tab import LetterSettingsTab

        self.letter_tab = LetterSettingsTab(ctx)
        from govdesk.gui.pages.hotline_channels_tab import HotlineChannelsTab

        self.hotline_tab = HotlineChannelsTab(ctx)

        self.tabs = QTabWidget()
        self.tabs.addTab(self.township_tab, "本镇信息")
        for table, tab in self.list_tabs.items():
            self.tabs.addTab(tab, org_ops.LABELS[table])
        self.tabs.addTab(self.users_tab, "用户")
        self.tabs.addTab(self.calendar_tab, "节假日")
        self.tabs.addTab(self.fonts_tab, "打印字体")
        self.tabs.addTab(self.chain_tab, "审批流程")
        self.tabs.addTab(self.screening_tab, "保密审查")
        self.tabs.addTab(self.letter_tab, "答复文书")
        self.tabs.addTab(self.hotline_tab, "热线渠道")
        # The same check as on the 操作日志 page (one helper behind both buttons).
        self.verify_audit_button = QPushButton("校验操作日志")
        self.verify_audit_button.setToolTip("逐条校验操作日志的哈希链（仅管理员）")
        self.verify_audit_button.clicked.connect(lambda _checked=False: self.verify_audit())
        self.tabs.setCornerWidget(self.verify_audit_button, Qt.Corner.TopRightCorner)

        for tab in (self.township_tab, *self.list_tabs.values(), self.users_tab,
                    self.calendar_tab, self.fonts_tab, self.chain_tab, self.screening_tab,
                    self.letter_tab, self.hotline_tab):
            tab.changed.connect(self.changed)
        # The letters' defaults (复议机关, 法院, 电话) come from 本镇信息.
        self.township_tab.changed.connect(lambda *_: self.letter_tab.refresh())

        layout = QVBoxLayout(self)
        layout.addWidget(self.readonly_note)
        layout.addWidget(self.tabs)
        self.refresh()

    def can_manage(self) -> bool:
        return can(self.ctx.user, "settings.manage")

    def verify_audit(self) -> None:
        from govdesk.gui.pages.audit_page import verify_and_show

        verify_and_show(self, self.ctx)

    def refresh(self) -> None:
        """Reload everything from the database and re-check what the signed-in user may do."""
        editable = self.can_manage()
        self.readonly_note.setVisible(not editable)
        self.township_tab.refresh()
        self.township_tab.set_editable(editable)
        for tab in self.list_tabs.values():
            tab.refresh()
            tab.set_editable(editable)
        self.users_tab.refresh()
        self.users_tab.set_editable(can(self.ctx.user, "users.manage"))
        self.calendar_tab.refresh()
        self.calendar_tab.set_editable(editable)
        self.fonts_tab.refresh()
        self.fonts_tab.set_editable(editable)
        self.chain_tab.set_editable(editable)
        self.chain_tab.refresh()
        self.screening_tab.refresh()
        self.screening_tab.set_editable(editable)
        self.letter_tab.refresh()
        self.letter_tab.set_editable(editable)
        self.hotline_tab.refresh()
        self.hotline_tab.set_editable(editable)
        self.verify_audit_button.setEnabled(can(self.ctx.user, "audit.view"))
