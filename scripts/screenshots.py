"""Save screenshots of the main pages, on the demo township, to docs/screenshots/.

    python scripts/screenshots.py [--out docs/screenshots]

Runs offscreen; pins the demo's date so the pictures are the same on every run.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TODAY = date(2026, 11, 20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "docs" / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from govdesk.app import make_app

    app = make_app()
    from govdesk.gui.dialogs.login_dialog import LoginDialog
    from govdesk.gui.dialogs.notice_editor_dialog import NoticeEditorDialog
    from govdesk.gui.main_window import PAGES, MainWindow
    from govdesk.operations import auth
    from govdesk.operations import notices as notice_ops
    from govdesk.operations.context import Context
    from govdesk.operations.demo import DEMO_PASSWORD, build_demo
    from govdesk.store.database import connect

    with tempfile.TemporaryDirectory() as tmp:
        db = connect(Path(tmp) / "demo.db")
        build_demo(db, today=TODAY, files_dir=Path(tmp) / "files")
        clock = lambda: datetime(TODAY.year, TODAY.month, TODAY.day, 2, 0, tzinfo=UTC)  # noqa: E731
        ctx = Context(db, clock=clock, files_dir=Path(tmp) / "files")

        login = LoginDialog(ctx)
        login.login_edit.setText("admin")
        login.show()
        app.processEvents()
        login.grab().save(str(out / "login.png"))
        login.close()

        auth.sign_in(ctx, "admin", DEMO_PASSWORD)
        window = MainWindow(ctx, "演示数据库")
        window.resize(1366, 800)
        window.show()
        for key, _label, _factory in PAGES:
            window.show_page(key)
            app.processEvents()
            window.grab().save(str(out / f"{key}.png"))

        page = window.pages["notices"]
        first = page.model.notice_at(0)
        if first is not None:
            editor = NoticeEditorDialog(ctx, notice_ops.get_notice(ctx, first.id), lambda d: None)
            editor.show()
            app.processEvents()
            editor.grab().save(str(out / "notice-editor.png"))
            editor.close()
        settings = window.show_page("settings")
        fonts_tab = next(i for i in range(settings.tabs.count())
                         if settings.tabs.tabText(i) == "打印字体")
        settings.tabs.setCurrentIndex(fonts_tab)
        app.processEvents()
        window.grab().save(str(out / "settings-fonts.png"))

        assessment = window.show_page("assessment")
        # The first quarter of the demo year is checked in all three months and has the tie.
        assessment.results_tab.set_period(TODAY.year, 1)
        for index, name in ((1, "assessment-quarter"), (2, "assessment-year"),
                            (3, "assessment-scheme")):
            assessment.tabs.setCurrentIndex(index)
            app.processEvents()
            window.grab().save(str(out / f"{name}.png"))
        assessment.tabs.setCurrentIndex(0)

        from govdesk.gui.dialogs.pdf_preview_dialog import PdfPreviewDialog
        from govdesk.operations import printing

        notices = window.pages["notices"].model
        public = next(n for n in (notices.notice_at(r) for r in range(notices.rowCount()))
                      if n is not None and "最低生活保障" in n.title)
        pdf = Path(tmp) / "preview.pdf"
        printing.print_notice(ctx, public.id, pdf)
        preview = PdfPreviewDialog(pdf, suggested_name="公示.pdf")
        preview.resize(900, 1000)
        preview.show()
        for _ in range(20):
            app.processEvents()
        preview.grab().save(str(out / "print-preview.png"))
        preview.close()
        window.close()
        db.close()
    print(f"screenshots saved to {out}")


if __name__ == "__main__":
    main()
