"""首次使用向导 (issue 7, item 6): on a database without any account, set up the real township
page by page, or from a filled-in 首次设置表格, or open the demo township to look around.

Pages: 欢迎 (three choices) → 乡镇信息 → 科室站所 → 社区和村 → 公开栏 → 管理员账号 → 确认 →
完成. Importing skips to 确认 with everything from the file in editable tabs, then asks for the
administrator's password. Nothing is written until the commit page's 开始设置: then
operations.setup.apply_setup does it all in one transaction, and the 完成 page shows the
one-time passwords of the other accounts (shown once; auth has no "change at first login" flag).

Every page is checked on 下一步 by core.setup_plan's rules — the same as for the file — and a
problem stays on its page: a red note at the top and the row marked in the table, so nothing
typed is lost. The summary lists any remaining problem; double-clicking one goes to it.

The result of ``exec()``: 1 (Accepted) when set up, :attr:`SetupWizard.DEMO` for the demo,
0 when the office closed it (app.py then quits).

QWizard's default look on Windows is AeroStyle, which draws its own title area unlike the rest
of the app; ModernStyle is set so every platform shows the same pages (and screenshots match).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QRadioButton,
    QStyledItemDelegate,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from govdesk.core.auth import PASSWORD_MIN
from govdesk.core.errors import UserError, ValidationErrors
from govdesk.core.org import CommunityKind, Role, Township
from govdesk.core.setup_plan import (
    SHEET_BOARDS,
    SHEET_COMMUNITIES,
    SHEET_TOWNSHIP,
    SHEET_UNITS,
    SHEET_USERS,
    SUGGESTED_UNITS,
    TOWNSHIP_FIELDS,
    PlanAccount,
    PlanBoard,
    PlanCommunity,
    PlanUnit,
    Problem,
    SetupPlan,
    board_kinds,
    clean,
    community_kinds,
    role_labels,
    validate_plan,
)
from govdesk.gui import messages
from govdesk.operations import setup as setup_ops
from govdesk.operations.context import Context
from govdesk.operations.demo import DEMO_PASSWORD

P_WELCOME, P_TOWNSHIP, P_UNITS, P_COMMUNITIES, P_BOARDS, P_ADMIN, P_SUMMARY, P_DONE = range(8)
SETUP, IMPORT, DEMO_CHOICE = range(3)
ERROR_STYLE = "color: #b00020"
MARK_COLOR = QColor("#fde2e1")

PAGE_OF_SHEET = {SHEET_TOWNSHIP: P_TOWNSHIP, SHEET_UNITS: P_UNITS,
                 SHEET_COMMUNITIES: P_COMMUNITIES, SHEET_BOARDS: P_BOARDS, SHEET_USERS: P_ADMIN}
TITLE_OF_SHEET = {SHEET_TOWNSHIP: "乡镇信息", SHEET_UNITS: "科室站所",
                  SHEET_COMMUNITIES: "社区和村", SHEET_BOARDS: "公开栏", SHEET_USERS: "账号"}
PASSWORD_POLICY = (f"密码至少 {PASSWORD_MIN} 位，可以用中文、字母、数字和空格；"
                   "不能用 12345678、88888888 这类常见密码。建议用一句好记的话。")
HINTS = {
    "全称": "如：青山县云溪镇人民政府（打印公文时作发文机关）",
    "简称": "如：云溪镇",
    "统一社会信用代码": "18 位，见本单位登记证书；用于编索引号，可以以后再填",
    "地址": "依申请公开答复书上使用",
    "监督电话": "公开栏和通报上印的监督电话",
}


def problem_text(p: Problem) -> str:
    """A problem in the wizard's words: the page and the table row, not the sheet."""
    page = TITLE_OF_SHEET[p.sheet]
    if p.sheet == SHEET_USERS and p.row is None:
        return f"{page}：管理员的“{p.field}”：{p.message}"
    if p.row is not None and p.row > 0:
        row = p.row - 1 if p.sheet == SHEET_USERS else p.row  # the admin is row 1 of 用户
        where = "其他用户" if p.sheet == SHEET_USERS else page
        return f"{where}：第 {row} 行“{p.field}”：{p.message}"
    return f"{page}：“{p.field}”：{p.message}"


# ---------------------------------------------------------------------------- an editable list

class RowsModel(QAbstractTableModel):
    """A small editable list of text rows (units, communities, boards, accounts) with rows
    marked where a problem was found (light red, the problem as tooltip)."""

    def __init__(self, headers: Sequence[str], parent: QWidget | None = None,
                 *, editable: bool = True) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self.rows: list[list[str]] = []
        self.marks: dict[int, list[str]] = {}
        self.editable = editable

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and index.row() in self.marks:
            return QBrush(MARK_COLOR)
        if role == Qt.ItemDataRole.ToolTipRole and index.row() in self.marks:
            return "\n".join(self.marks[index.row()])
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headers[section] if 0 <= section < len(self.headers) else None
        return str(section + 1)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if self.editable else base

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: object,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or not self.editable:
            return False
        self.rows[index.row()][index.column()] = "" if value is None else str(value)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])
        return True

    def set_rows(self, rows: Sequence[Sequence[str]]) -> None:
        self.beginResetModel()
        self.rows = [[*map(str, r), *[""] * (len(self.headers) - len(r))] for r in rows]
        self.marks = {}
        self.endResetModel()

    def add_row(self, values: Sequence[str] = ()) -> int:
        n = len(self.rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self.rows.append([*values, *[""] * (len(self.headers) - len(values))])
        self.endInsertRows()
        return n

    def remove_rows(self, rows: Sequence[int]) -> None:
        for r in sorted(set(rows), reverse=True):
            if 0 <= r < len(self.rows):
                self.beginRemoveRows(QModelIndex(), r, r)
                del self.rows[r]
                self.endRemoveRows()
        self.set_marks({})

    def filled(self) -> list[tuple[int, list[str]]]:
        """(table row 1-based, cleaned values) of every row with anything typed."""
        out = []
        for i, r in enumerate(self.rows, 1):
            values = [clean(v) for v in r]
            if any(values):
                out.append((i, values))
        return out

    def column(self, c: int) -> list[str]:
        return [v[c] for _, v in self.filled() if v[c]]

    def set_marks(self, marks: dict[int, list[str]]) -> None:
        self.marks = marks
        if self.rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self.rows) - 1, len(self.headers) - 1))


class ChoiceDelegate(QStyledItemDelegate):
    """A drop-down for a column whose values come from a fixed or a changing list."""

    def __init__(self, choices: Callable[[], Sequence[str]], parent: QWidget | None = None,
                 *, editable: bool = False) -> None:
        super().__init__(parent)
        self._choices = choices
        self._editable = editable

    def createEditor(self, parent, option, index):  # noqa: N802 - Qt override
        box = QComboBox(parent)
        box.setEditable(self._editable)
        box.addItems(list(self._choices()))
        return box

    def setEditorData(self, editor, index):  # noqa: N802 - Qt override
        value = index.data(Qt.ItemDataRole.EditRole) or ""
        i = editor.findText(value)
        if i >= 0:
            editor.setCurrentIndex(i)
        elif self._editable:
            editor.setEditText(value)

    def setModelData(self, editor, model, index):  # noqa: N802 - Qt override
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


class RowsEditor(QWidget):
    """A table with 添加 / 删除所选 buttons (and optional extra buttons)."""

    def __init__(self, model: RowsModel, widths: Sequence[int], add_label: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.view = QTableView()
        self.view.setModel(model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.view.verticalHeader().setDefaultSectionSize(26)
        header = self.view.horizontalHeader()
        for c, w in enumerate(widths):
            if w:
                self.view.setColumnWidth(c, w)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.add_button = QPushButton(add_label)
        self.add_button.clicked.connect(self.add)
        self.remove_button = QPushButton("删除所选行")
        self.remove_button.clicked.connect(self.remove_selected)
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.add_button)
        self.buttons.addWidget(self.remove_button)
        self.buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        layout.addLayout(self.buttons)

    def add(self, values: Sequence[str] = ()) -> None:
        row = self.model.add_row(values or ())
        index = self.model.index(row, 0)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        if not values:
            self.view.edit(index)

    def remove_selected(self) -> None:
        rows = {i.row() for i in self.view.selectionModel().selectedRows()}
        if not rows and self.view.currentIndex().isValid():
            rows = {self.view.currentIndex().row()}
        self.model.remove_rows(sorted(rows))

    def select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))


def _error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setVisible(False)
    return label


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555")
    return label


# ---------------------------------------------------------------------------- the pages

class _Page(QWizardPage):
    sheet: str | None = None

    def wiz(self) -> SetupWizard:
        w = self.wizard()
        assert isinstance(w, SetupWizard)
        return w

    def show_problems(self, problems: Sequence[Problem]) -> None:
        label: QLabel = self.error_label  # type: ignore[attr-defined]
        label.setText("\n".join(problem_text(p) for p in problems[:8])
                      + (f"\n……另有 {len(problems) - 8} 处" if len(problems) > 8 else ""))
        label.setVisible(bool(problems))

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        if self.sheet is None:
            return True
        problems = self.wiz().check(self.sheet)
        return not problems


class WelcomePage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("欢迎使用 govdesk 政务公开工作台")
        self.setSubTitle("这是一个新的数据库，还没有任何账号。请选择如何开始：")
        self.choice = QButtonGroup(self)
        self.setup_radio = QRadioButton("设置本乡镇（逐页填写乡镇信息、科室站所、社区和村、公开栏和管理员）")
        self.import_radio = QRadioButton("从设置表格导入（已按 govdesk 设置表格填好的 .xlsx 文件）")
        self.demo_radio = QRadioButton("先看看演示乡镇（虚构的“云溪镇”和一年的工作记录，"
                                       f"登录名 admin，密码 {DEMO_PASSWORD}）")
        for i, radio in enumerate((self.setup_radio, self.import_radio, self.demo_radio)):
            self.choice.addButton(radio, i)
        self.setup_radio.setChecked(True)
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("选择填好的设置表格（.xlsx）")
        browse = QPushButton("选择文件…")
        browse.clicked.connect(self._browse)
        self.template_button = QPushButton("生成空白设置表格…")
        self.template_button.clicked.connect(self._write_template)
        file_row = QHBoxLayout()
        file_row.setContentsMargins(24, 0, 0, 0)
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(browse)
        template_row = QHBoxLayout()
        template_row.setContentsMargins(24, 0, 0, 0)
        template_row.addWidget(self.template_button)
        template_row.addWidget(_hint("没有表格？先生成一份，用 WPS 或 Excel 填好后再导入。"), 1)
        self.file_box = QWidget()
        box = QVBoxLayout(self.file_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(file_row)
        box.addLayout(template_row)
        self.error_label = _error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.setup_radio)
        layout.addSpacing(6)
        layout.addWidget(self.import_radio)
        layout.addWidget(self.file_box)
        layout.addSpacing(6)
        layout.addWidget(self.demo_radio)
        layout.addSpacing(12)
        layout.addWidget(_hint("演示乡镇只用来熟悉操作；正式使用时，请另建一个数据库文件，"
                               "再选择“设置本乡镇”。"))
        layout.addStretch(1)
        layout.addWidget(self.error_label)
        self.choice.idToggled.connect(self._changed)
        self.path_edit.textChanged.connect(self.completeChanged)
        self._changed()

    def mode(self) -> int:
        return self.choice.checkedId()

    def _changed(self, *_args: object) -> None:
        self.file_box.setEnabled(self.mode() == IMPORT)
        self.error_label.setVisible(False)
        # QWizard lays its buttons out again only on setFinalPage, not on completeChanged:
        # this is what turns 下一步 into 完成 for the demo.
        self.setFinalPage(self.mode() == DEMO_CHOICE)
        self.completeChanged.emit()
        w = self.wizard()
        if isinstance(w, SetupWizard):
            w.mode_changed()

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return self.mode() != IMPORT or bool(self.path_edit.text().strip())

    def nextId(self) -> int:  # noqa: N802 - Qt override
        return {SETUP: P_TOWNSHIP, IMPORT: P_SUMMARY, DEMO_CHOICE: -1}[self.mode()]

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择设置表格", "", "Excel 工作簿 (*.xlsx)")
        if path:
            self.path_edit.setText(path)

    def _write_template(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "保存空白设置表格", "govdesk首次设置表格.xlsx",
                                              "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        try:
            setup_ops.write_setup_template(path)
        except UserError as exc:
            messages.error(self, exc.message)
            return
        messages.info(self, f"已生成：{path}\n请用 WPS 或 Excel 填好后，回到这里导入。")
        if not self.path_edit.text().strip():
            self.path_edit.setText(path)

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        if self.mode() != IMPORT:
            return True
        try:
            loaded = setup_ops.load_setup_file(self.path_edit.text().strip())
        except UserError as exc:
            self.error_label.setText(exc.message)
            self.error_label.setVisible(True)
            return False
        self.wiz().load_plan(loaded.plan, loaded.problems, loaded.warnings)
        return True


class TownshipForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for attr, label in TOWNSHIP_FIELDS:
            edit = QLineEdit()
            edit.setPlaceholderText(HINTS[label])
            self.edits[attr] = edit
            form.addRow(("* " if attr == "full_name" else "") + label, edit)
        self.edits["credit_code"].setMaxLength(18)

    def set_values(self, t: Township) -> None:
        for attr, edit in self.edits.items():
            edit.setText(str(getattr(t, attr)))

    def values(self) -> Township:
        return Township(**{attr: clean(e.text()) for attr, e in self.edits.items()})


class TownshipPage(_Page):
    sheet = SHEET_TOWNSHIP

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("乡镇信息")
        self.setSubTitle("本乡镇人民政府的基本信息。带 * 的必须填写，其余可以以后在“设置”中补充。")
        self.form = TownshipForm()
        self.error_label = _error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.error_label)
        layout.addWidget(self.form)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        self.form.set_values(self.wiz().township)

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        self.wiz().township = self.form.values()
        return super().validatePage()

    def cleanupPage(self) -> None:  # noqa: N802 - Qt override
        self.wiz().township = self.form.values()  # going back keeps what was typed


class ListPage(_Page):
    def __init__(self, sheet: str, title: str, subtitle: str, editor: RowsEditor,
                 note: str = "", on_show: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.sheet = sheet
        self._on_show = on_show
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.editor = editor
        self.error_label = _error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.error_label)
        layout.addWidget(editor, 1)
        if note:
            layout.addWidget(_hint(note))

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        if self._on_show is not None:
            self._on_show()


class AdminPage(_Page):
    sheet = SHEET_USERS

    def __init__(self, accounts: RowsEditor) -> None:
        super().__init__()
        self.setTitle("管理员账号")
        self.setSubTitle("管理员负责设置乡镇信息、社区和公开栏，并管理其他人的账号。"
                         "请为自己建立管理员账号。")
        self.login_edit = QLineEdit("admin")
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("管理员本人的姓名")
        self.unit_box = QComboBox()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm_edit = QLineEdit()
        self.confirm_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("* 登录名", self.login_edit)
        form.addRow("* 姓名", self.name_edit)
        form.addRow("所在科室站所", self.unit_box)
        form.addRow("* 密码", self.password_edit)
        form.addRow("* 再次输入密码", self.confirm_edit)
        self.accounts = accounts
        self.error_label = _error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.error_label)
        layout.addLayout(form)
        layout.addWidget(_hint(PASSWORD_POLICY))
        layout.addSpacing(8)
        layout.addWidget(QLabel("其他用户（可选，也可以以后在“设置—用户”中添加；"
                                "设置完成后会为他们生成一次性密码）："))
        layout.addWidget(accounts, 1)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        w = self.wiz()
        current = self.unit_box.currentText() or clean(w.admin.unit)
        self.unit_box.clear()
        self.unit_box.addItems(["", *w.units.column(0)])
        if not current and not self.name_edit.text():
            current = "党政办"  # the office that runs 政务公开 (glossary: office)
        self.unit_box.setCurrentText(current if current in w.units.column(0) else "")
        if not self.name_edit.text():
            self.name_edit.setText(w.admin.name)
        if w.admin.login and self.login_edit.text() in ("", "admin"):
            self.login_edit.setText(w.admin.login)
        w.update_commit_button()

    def admin(self) -> PlanAccount:
        return PlanAccount(self.login_edit.text(), self.name_edit.text(), Role.ADMIN.label,
                           self.unit_box.currentText())

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        w = self.wiz()
        w.admin = self.admin()
        problems = w.check(SHEET_USERS)
        password_problem = w.password_problem()
        if password_problem:
            self.error_label.setText("\n".join(
                [*(problem_text(p) for p in problems[:7]), password_problem]))
            self.error_label.setVisible(True)
            self.password_edit.setFocus()
            return False
        if problems:
            return False
        return w.mode == SETUP or w.apply()

    def cleanupPage(self) -> None:  # noqa: N802 - Qt override
        self.wiz().admin = self.admin()

    def nextId(self) -> int:  # noqa: N802 - Qt override
        # Importing, 确认 came before the password and this page applies; else 确认 follows.
        return P_DONE if self.wiz().mode == IMPORT else P_SUMMARY


class SummaryPage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("确认")
        self.overview = QLabel()
        self.overview.setWordWrap(True)
        self.overview.setTextFormat(Qt.TextFormat.RichText)
        self.overview.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.problems = QListWidget()
        self.problems.setMaximumHeight(96)
        self.problems.itemActivated.connect(self._go_to_problem)
        self.problems_label = QLabel("以下内容需要修改（双击某一条可转到该处）：")
        self.problems_label.setStyleSheet(ERROR_STYLE)
        self.tabs = QTabWidget()
        self.error_label = _error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.overview)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.problems)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error_label)
        self._problems: list[Problem] = []

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        w = self.wiz()
        if w.mode == IMPORT:
            self.setSubTitle("以下是设置表格中的内容，可以直接在表格里修改；"
                             "下一步设置管理员密码。")
            w.township_summary_form.set_values(w.township)
        else:
            self.setSubTitle("请核对以下内容。点“开始设置”后一次性写入数据库；"
                             "如需修改，可点“上一步”。")
        self.tabs.setVisible(w.mode == IMPORT)
        # Without the tabs the overview takes the room, from the top (not centred in it).
        self.layout().setStretchFactor(self.overview, 0 if w.mode == IMPORT else 1)
        self.refresh()
        w.update_commit_button()

    def refresh(self) -> None:
        w = self.wiz()
        if w.mode == IMPORT:
            w.township = w.township_summary_form.values()
        plan = w.plan()
        t = plan.township
        boards = "、".join(f"{b.code} {b.name}" for b in plan.boards[:4])
        more = f" 等 {len(plan.boards)} 块" if len(plan.boards) > 4 else ""
        communities = "、".join(c.name for c in plan.communities[:8])
        more_c = f" 等 {len(plan.communities)} 个" if len(plan.communities) > 8 else ""
        rows = [
            ("乡镇", f"{t.full_name or '（未填写）'}" + (f"（{t.short_name}）" if t.short_name
                                                        else "")),
            ("科室站所", f"{len(plan.units)} 个：" + "、".join(u.name for u in plan.units[:8])
             + (" 等" if len(plan.units) > 8 else "")),
            ("社区和村", f"{len(plan.communities)} 个" + (f"：{communities}{more_c}"
                                                         if communities else "")),
            ("公开栏", f"{len(plan.boards)} 块" + (f"：{boards}{more}" if boards else "")),
            ("管理员", f"{plan.admin.login}（{plan.admin.name}）" if w.mode == SETUP
             else "下一步设置"),
            ("其他用户", f"{len(plan.accounts)} 个，设置完成后生成一次性密码"),
            ("考核细则、公开目录", f"建立 {w.ctx.today().year} 年默认考核细则；公开目录用默认的"
                               "类别和公开方式，以后可在“设置”和“考核”中修改"),
        ]
        self.overview.setText("<table cellspacing='4'>" + "".join(
            f"<tr><td style='color:#555; padding-right:12px'>{k}</td><td>{_html(v)}</td></tr>"
            for k, v in rows) + "</table>")
        self.set_problems(w.all_problems())

    def set_problems(self, problems: Sequence[Problem]) -> None:
        self._problems = list(problems)
        self.problems.clear()
        self.problems.addItems([problem_text(p) for p in problems])
        self.problems.setVisible(bool(problems))
        self.problems_label.setVisible(bool(problems))

    def _go_to_problem(self) -> None:
        row = self.problems.currentRow()
        if 0 <= row < len(self._problems):
            self.wiz().go_to(self._problems[row])

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        w = self.wiz()
        if w.mode == IMPORT:
            w.township = w.township_summary_form.values()
        problems = w.all_problems()
        self.set_problems(problems)
        if problems:
            w.mark(problems)
            return False
        return w.mode == IMPORT or w.apply()

    def nextId(self) -> int:  # noqa: N802 - Qt override
        return P_ADMIN if self.wiz().mode == IMPORT else P_DONE


class DonePage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("设置完成")
        self.setSubTitle("govdesk 已可以使用。")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.accounts = RowsModel(("登录名", "姓名", "角色", "一次性密码"), editable=False)
        self.view = QTableView()
        self.view.setModel(self.accounts)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.verticalHeader().setVisible(False)
        self.copy_button = QPushButton("复制账号和密码")
        self.copy_button.clicked.connect(self._copy)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        row.addWidget(self.copy_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.setFinalPage(True)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        result = self.wiz().result_of_setup
        assert result is not None
        issued = result.accounts
        text = (f"本乡镇已设置好，并建立了 {result.scheme_year} 年的默认考核细则。"
                f"点“完成”后请用管理员账号“{result.admin.login}”登录。")
        if issued:
            text += ("<br><br><b>下列账号的一次性密码只显示这一次</b>，请抄录或复制后交给本人，"
                     "并提醒他们登录后在“修改密码”中改为自己的密码。")
        self.message.setText(text)
        self.accounts.set_rows([(a.login, a.name, a.role, a.password) for a in issued])
        self.view.setVisible(bool(issued))
        self.copy_button.setVisible(bool(issued))

    def _copy(self) -> None:
        lines = ["登录名\t姓名\t角色\t一次性密码",
                 *("\t".join(r) for r in self.accounts.rows)]
        QGuiApplication.clipboard().setText("\n".join(lines))


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------------------- the wizard

class SetupWizard(QWizard):
    DEMO = 2

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("首次使用向导 - govdesk 政务公开工作台")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        for button, text in ((QWizard.WizardButton.BackButton, "< 上一步"),
                             (QWizard.WizardButton.NextButton, "下一步 >"),
                             (QWizard.WizardButton.CommitButton, "开始设置"),
                             (QWizard.WizardButton.FinishButton, "完成"),
                             (QWizard.WizardButton.CancelButton, "退出")):
            self.setButtonText(button, text)
        self.township = Township()
        self.admin = PlanAccount("admin", "", Role.ADMIN.label)
        self.result_of_setup: setup_ops.SetupResult | None = None
        self._loaded_for_import = False

        self.units = RowsModel(("名称",), self)
        self.units.set_rows([(n,) for n in SUGGESTED_UNITS])
        self.communities = RowsModel(("名称", "类型"), self)
        self.boards = RowsModel(("编号", "名称", "类型", "位置", "所属", "打印纸张"), self)
        self.accounts = RowsModel(("登录名", "姓名", "角色", "所在科室站所"), self)

        self.welcome = WelcomePage()
        self.township_page = TownshipPage()
        self.units_page = ListPage(
            SHEET_UNITS, "科室站所", "本镇的科室和站所。已按常见情况列出，请删去没有的、"
            "改成本镇的叫法，或添加新的。", self._units_editor(),
            "信息登记时的“责任单位”、公开栏的“所属”和账号的“所在科室站所”从这里选。")
        self.communities_page = ListPage(
            SHEET_COMMUNITIES, "社区和村", "本镇的各社区（居委会）和村（村委会），它们是月抽查、"
            "季考核的对象。", self._communities_editor())
        self.boards_page = ListPage(
            SHEET_BOARDS, "公开栏", "每一块公开栏、电子屏或收费公示墙。编号印在张贴清单上，"
            "建议用 GB-01（政府）、SQ-01（社区）、CW-01（村）这样的写法。",
            self._boards_editor(),
            "“所属”填社区/村或科室站所的名称；大幅公开栏可把“打印纸张”设为 A3。",
            on_show=self._suggest_boards)
        self.admin_page = AdminPage(self._accounts_editor())
        self.summary_page = SummaryPage()
        self.done_page = DonePage()
        self.township_summary_form = TownshipForm()
        for pid, page in ((P_WELCOME, self.welcome), (P_TOWNSHIP, self.township_page),
                          (P_UNITS, self.units_page), (P_COMMUNITIES, self.communities_page),
                          (P_BOARDS, self.boards_page), (P_ADMIN, self.admin_page),
                          (P_SUMMARY, self.summary_page), (P_DONE, self.done_page)):
            self.setPage(pid, page)
        # In import mode the 确认 page shows the same models in tabs, editable.
        tabs = self.summary_page.tabs
        tabs.addTab(self.township_summary_form, "乡镇信息")
        for model, title, widths in ((self.units, "科室站所", (240,)),
                                     (self.communities, "社区和村", (200, 80)),
                                     (self.boards, "公开栏", (70, 170, 100, 150, 100))):
            view = QTableView()
            view.setModel(model)
            for c, w in enumerate(widths):
                view.setColumnWidth(c, w)
            view.horizontalHeader().setStretchLastSection(True)
            tabs.addTab(view, title)
        self._summary_views = {SHEET_UNITS: 1, SHEET_COMMUNITIES: 2, SHEET_BOARDS: 3}
        self.setStartId(P_WELCOME)
        self.setMinimumSize(860, 640)
        self.mode_changed()

    # -- editors ------------------------------------------------------------------------------

    def _units_editor(self) -> RowsEditor:
        return RowsEditor(self.units, (320,), "添加科室站所")

    def _communities_editor(self) -> RowsEditor:
        e = RowsEditor(self.communities, (260, 100), "添加社区或村")
        e.view.setItemDelegateForColumn(1, ChoiceDelegate(community_kinds, e.view))
        e.add_button.clicked.disconnect()
        e.add_button.clicked.connect(lambda: e.add(("", CommunityKind.VILLAGE.value)))
        return e

    def _boards_editor(self) -> RowsEditor:
        e = RowsEditor(self.boards, (70, 190, 110, 190, 110), "添加公开栏")
        e.view.setItemDelegateForColumn(2, ChoiceDelegate(board_kinds, e.view))
        e.view.setItemDelegateForColumn(4, ChoiceDelegate(self._owners, e.view, editable=True))
        e.view.setItemDelegateForColumn(5, ChoiceDelegate(lambda: ("A4", "A3"), e.view))
        e.add_button.clicked.disconnect()
        e.add_button.clicked.connect(lambda: e.add(("", "", "", "", "", "A4")))
        suggest = QPushButton("为每个社区和村各添加一块")
        suggest.setToolTip("为还没有公开栏的社区和村各添加一块居务/村务公开栏")
        suggest.clicked.connect(lambda: self.add_board_suggestions(include_office=False))
        e.buttons.insertWidget(2, suggest)
        self.suggest_button = suggest
        return e

    def _accounts_editor(self) -> RowsEditor:
        e = RowsEditor(self.accounts, (110, 90, 110), "添加用户")
        e.view.setItemDelegateForColumn(2, ChoiceDelegate(role_labels, e.view))
        e.view.setItemDelegateForColumn(3, ChoiceDelegate(
            lambda: ["", *self.units.column(0)], e.view))
        e.add_button.clicked.disconnect()
        e.add_button.clicked.connect(lambda: e.add(("", "", Role.CLERK.label, "")))
        return e

    def _owners(self) -> list[str]:
        return [*self.communities.column(0), *self.units.column(0)]

    def _suggest_boards(self) -> None:
        if not self.boards.rows:
            self.add_board_suggestions(include_office=True)

    def add_board_suggestions(self, *, include_office: bool) -> None:
        """One board per community and village without one (and the office's own 政务公开栏),
        named and numbered the way the seeds' townships do."""
        owned = {clean(r[4]) for r in self.boards.rows}
        codes = {clean(r[0]).upper() for r in self.boards.rows}

        def next_code(prefix: str) -> str:
            n = 1
            while f"{prefix}-{n:02}" in codes:
                n += 1
            codes.add(f"{prefix}-{n:02}")
            return f"{prefix}-{n:02}"

        units = self.units.column(0)
        if include_office and units and not any(
                clean(r[4]) in units for r in self.boards.rows):
            office = "党政办" if "党政办" in units else units[0]
            self.boards.add_row((next_code("GB"), "便民服务中心政务公开栏", board_kinds()[0],
                                 "", office, "A4"))
        for _, (name, kind) in self.communities.filled():
            if not name or name in owned:
                continue
            village = kind == CommunityKind.VILLAGE.value
            board_kind = "村务公开栏" if village else "居务公开栏"
            self.boards.add_row((next_code("CW" if village else "SQ"), f"{name}{board_kind}",
                                 board_kind, "", name, "A4"))

    # -- state --------------------------------------------------------------------------------

    @property
    def mode(self) -> int:
        return self.welcome.mode()

    def mode_changed(self) -> None:
        self.admin_page.setCommitPage(self.mode == IMPORT)
        self.summary_page.setCommitPage(self.mode == SETUP)

    def update_commit_button(self) -> None:
        self.mode_changed()

    def load_plan(self, plan: SetupPlan, problems: Sequence[str],
                  warnings: Sequence[str]) -> None:
        """Fill every page from a setup file (the import path)."""
        self.township = plan.township
        self.units.set_rows([(u.name,) for u in plan.units])
        self.communities.set_rows([(c.name, c.kind) for c in plan.communities])
        self.boards.set_rows([(b.code, b.name, b.kind, b.location, b.owner, b.paper)
                              for b in plan.boards])
        self.accounts.set_rows([(a.login, a.name, a.role, a.unit) for a in plan.accounts])
        self.admin = plan.admin
        self.admin_page.login_edit.setText(plan.admin.login or "admin")
        self.admin_page.name_edit.setText(plan.admin.name)
        self._loaded_for_import = True
        notes = [*warnings]
        if problems:
            notes.append(f"设置表格中有 {len(problems)} 处需要修改，已在上面列出，"
                         "可以直接在下方的表格中修改。")
        self.summary_page.error_label.setText("\n".join(notes))
        self.summary_page.error_label.setVisible(bool(notes))

    def plan(self) -> SetupPlan:
        units = tuple(PlanUnit(v[0], row=i) for i, v in self.units.filled())
        communities = tuple(PlanCommunity(v[0], v[1], row=i) for i, v in self.communities.filled())
        boards = tuple(PlanBoard(v[0], v[1], v[2], v[3], v[4], v[5] or "A4", row=i)
                       for i, v in self.boards.filled())
        # Row numbers of 用户 count the administrator as row 1, as the sheet does.
        accounts = tuple(PlanAccount(v[0], v[1], v[2], v[3], row=i + 1)
                         for i, v in self.accounts.filled())
        return SetupPlan(self.township, units, communities, boards, self.admin, accounts)

    def all_problems(self) -> list[Problem]:
        return validate_plan(self.plan())

    def check(self, sheet: str) -> list[Problem]:
        """The problems of one page, shown on it; [] lets the page go on."""
        problems = [p for p in self.all_problems() if p.sheet == sheet]
        self.mark(problems, only=sheet)
        return problems

    def mark(self, problems: Sequence[Problem], only: str | None = None) -> None:
        by_sheet: dict[str, list[Problem]] = {}
        for p in problems:
            by_sheet.setdefault(p.sheet, []).append(p)
        sheets = [only] if only else list(PAGE_OF_SHEET)
        models = {SHEET_UNITS: self.units, SHEET_COMMUNITIES: self.communities,
                  SHEET_BOARDS: self.boards, SHEET_USERS: self.accounts}
        for sheet in sheets:
            found = by_sheet.get(sheet, [])
            page = self.page(PAGE_OF_SHEET[sheet])
            assert isinstance(page, _Page)
            page.show_problems(found)
            if sheet in models:
                marks: dict[int, list[str]] = {}
                for p in found:
                    if p.row is None:
                        continue
                    row = p.row - (2 if sheet == SHEET_USERS else 1)
                    if row >= 0:
                        marks.setdefault(row, []).append(f"“{p.field}”{p.message}")
                models[sheet].set_marks(marks)
            if sheet == SHEET_TOWNSHIP and self.mode == IMPORT and found:
                self.summary_page.error_label.setText(
                    "\n".join(problem_text(p) for p in found))
                self.summary_page.error_label.setVisible(True)

    def go_to(self, p: Problem) -> None:
        """Show the page (or, importing, the tab) where ``p`` is, with its row selected."""
        target = PAGE_OF_SHEET[p.sheet]
        if self.mode == IMPORT and p.sheet in self._summary_views:
            self.summary_page.tabs.setCurrentIndex(self._summary_views[p.sheet])
            view = self.summary_page.tabs.currentWidget()
            if isinstance(view, QTableView) and p.row is not None:
                view.selectRow(p.row - 1)
            return
        if self.mode == IMPORT and p.sheet == SHEET_TOWNSHIP:
            self.summary_page.tabs.setCurrentIndex(0)
            return
        while self.currentId() != target and target in self.visitedIds() \
                and self.currentId() != P_WELCOME:
            self.back()
        page = self.currentPage()
        if isinstance(page, ListPage) and p.row is not None:
            page.editor.select_row(p.row - 1)
        elif page is self.admin_page and p.row is not None and p.row > 1:
            self.admin_page.accounts.select_row(p.row - 2)

    def password_problem(self) -> str | None:
        a = self.admin_page
        if not a.password_edit.text():
            return "请为管理员设置密码"
        if a.password_edit.text() != a.confirm_edit.text():
            return "两次输入的密码不一致"
        from govdesk.core.auth import check_new_password

        try:
            check_new_password(a.password_edit.text())
        except ValueError as exc:
            return f"管理员密码：{exc}"
        return None

    def apply(self) -> bool:
        """Write everything (one transaction); on a problem, show it where it belongs."""
        self.admin = self.admin_page.admin()
        if self.mode == IMPORT:
            self.township = self.township_summary_form.values()
        password_problem = self.password_problem()
        if password_problem:
            if self.mode == SETUP:
                self.summary_page.error_label.setText(
                    password_problem + "（请点“上一步”回到“管理员账号”修改）")
                self.summary_page.error_label.setVisible(True)
            return False
        try:
            self.result_of_setup = setup_ops.apply_setup(
                self.ctx, self.plan(), self.admin_page.password_edit.text())
        except ValidationErrors as exc:
            problems = self.all_problems()
            self.mark(problems)
            self.summary_page.set_problems(problems)
            page = self.currentPage()
            if isinstance(page, _Page) and not problems:
                page.error_label.setText(exc.message)  # type: ignore[attr-defined]
                page.error_label.setVisible(True)  # type: ignore[attr-defined]
            return False
        except UserError as exc:
            page = self.currentPage()
            page.error_label.setText(exc.message)  # type: ignore[attr-defined]
            page.error_label.setVisible(True)  # type: ignore[attr-defined]
            return False
        self.admin_page.password_edit.clear()
        self.admin_page.confirm_edit.clear()
        return True

    def accept(self) -> None:
        if self.currentId() == P_WELCOME and self.mode == DEMO_CHOICE:
            self.done(self.DEMO)
            return
        if self.result_of_setup is None:
            return
        super().accept()

    def reject(self) -> None:
        if self.result_of_setup is not None:
            super().accept()  # already set up: closing the last page is the same as 完成
            return
        if self.currentId() not in (P_WELCOME, -1) and not messages.confirm(
                self, "还没有完成设置，退出后已填写的内容不会保存。确定退出吗？", ok="退出"):
            return
        super().reject()
