"""设置 → 答复文书: what the 依申请公开 letters print about the township — the 行政复议机关 and
the 人民法院 of every reply's remedy sentence, the 政府信息公开工作机构 after the 署名, and the
contact line. Defaults follow the township's full name and 监督电话 (本镇信息) until saved.

A tab of the settings page with the same protocol as its other tabs: ``changed``,
``refresh()``, ``set_editable(bool)``, ``save()``."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from govdesk.core.errors import UserError
from govdesk.core.letters import LetterContext, remedy_text
from govdesk.gui import guard
from govdesk.operations import request_letters as ops
from govdesk.operations.context import Context

NOTE_STYLE = "color: #666;"
INTRO = ("答复书告知申请人救济途径时写明行政复议机关和人民法院；署名为本镇全称，"
         "其后括注政府信息公开工作机构；联系人和联系电话印在文书末尾的附注中。"
         "未保存时按“本镇信息”中的全称和监督电话推定。")


def _note(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setStyleSheet(NOTE_STYLE)
    return label


class LetterSettingsTab(QWidget):
    changed = Signal()

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self._loaded: LetterContext | None = None
        self._defaults = LetterContext(township="")
        self.review_body_edit = QLineEdit()
        self.court_edit = QLineEdit()
        self.office_edit = QLineEdit()
        self.contact_edit = QLineEdit()
        self.phone_edit = QLineEdit()
        self.edits = {
            "review_body": self.review_body_edit,
            "court": self.court_edit,
            "office": self.office_edit,
            "contact": self.contact_edit,
            "phone": self.phone_edit,
        }
        # UserError.field (the Chinese label) → the edit to focus.
        self.fields = {ops.SETTING_LABELS[name]: edit for name, edit in self.edits.items()}
        for edit in self.edits.values():
            edit.setMaxLength(ops.MAX_SETTING)
            edit.textChanged.connect(self.update_preview)
            edit.textEdited.connect(lambda _text: self.saved_label.clear())
        self.preview_label = _note()
        self.preview_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton("保存")
        self.save_button.clicked.connect(lambda _checked=False: self.save())
        self.defaults_button = QPushButton("按本镇信息填入默认值")
        self.defaults_button.setToolTip("复议机关、法院按本镇全称中的县（区、市、旗）推定，"
                                        "联系电话为本镇监督电话")
        self.defaults_button.clicked.connect(lambda _checked=False: self.fill_defaults())
        self.saved_label = _note()

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow("", _note(INTRO))
        form.addRow("行政复议机关：", self.review_body_edit)
        form.addRow("人民法院：", self.court_edit)
        form.addRow("政府信息公开工作机构：", self.office_edit)
        form.addRow("联系人：", self.contact_edit)
        form.addRow("联系电话：", self.phone_edit)
        form.addRow("答复书写法：", self.preview_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.defaults_button)
        buttons.addWidget(self.saved_label, 1)
        form.addRow("", buttons)
        box = QWidget()
        box.setLayout(form)
        box.setMaximumWidth(760)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addStretch(1)

    # ---- state --------------------------------------------------------------------------------

    def values(self) -> dict[str, str]:
        return {name: edit.text() for name, edit in self.edits.items()}

    def is_dirty(self) -> bool:
        if self._loaded is None:
            return False
        loaded = {name: getattr(self._loaded, name) for name in self.edits}
        return self.values() != loaded

    def refresh(self) -> None:
        """Reload, unless the form holds edits not yet saved (switching pages must not throw
        typing away)."""
        defaults = guard.attempt(self, lambda: ops.letter_setting_defaults(self.ctx))
        if defaults is not None:
            self._defaults = defaults
            for name, edit in self.edits.items():
                edit.setPlaceholderText(getattr(defaults, name) or "")
        if self.is_dirty():
            self.update_preview()
            return
        settings = guard.attempt(self, lambda: ops.letter_settings(self.ctx))
        if settings is None:
            return
        self._loaded = settings
        for name, edit in self.edits.items():
            edit.setText(getattr(settings, name))
        self.saved_label.clear()
        self.update_preview()

    def update_preview(self, *_: object) -> None:
        v = self.values()
        township = self._defaults.township or "（本镇全称，在“本镇信息”中填写）"
        try:
            remedy = remedy_text(LetterContext(township=township, review_body=v["review_body"],
                                               court=v["court"]))
        except UserError:
            remedy = "（请填写行政复议机关和人民法院）"
        office = v["office"].strip()
        issuer = f"{township}（{office}）" if office else township
        self.preview_label.setText(f"{remedy}\n署名：{issuer}")

    def fill_defaults(self) -> None:
        for name, edit in self.edits.items():
            value = getattr(self._defaults, name)
            if value and edit.text() != value and not edit.isReadOnly():
                edit.setText(value)

    def save(self) -> bool:
        values = self.values()

        def run() -> bool:
            try:
                ops.save_letter_settings(self.ctx, **values)
            except UserError as exc:
                widget = self.fields.get(exc.field or "")
                if widget is not None:
                    widget.setFocus(Qt.FocusReason.OtherFocusReason)
                raise
            return True

        if guard.attempt(self, run) is None:
            return False
        self._loaded = None
        self.refresh()
        self.saved_label.setText("已保存")
        self.changed.emit()
        return True

    def set_editable(self, editable: bool) -> None:
        for edit in self.edits.values():
            edit.setReadOnly(not editable)
        self.save_button.setEnabled(editable)
        self.defaults_button.setEnabled(editable)
