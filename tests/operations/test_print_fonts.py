"""The office's own print fonts (设置 → 打印字体): stored per role, checked, used when printing."""

from __future__ import annotations

import json
import os

import pypdf
import pytest
from conftest import approve_all, as_user, notice_input

from govdesk.core.errors import PermissionDenied, UserError
from govdesk.core.org import Role
from govdesk.export import fonts
from govdesk.operations import notices as ops
from govdesk.operations import printing
from govdesk.store import audit_store, org_store

UKAI = "/usr/share/fonts/truetype/arphic/ukai.ttc"
needs_ukai = pytest.mark.skipif(
    not os.path.isfile(UKAI), reason="AR PL UKai (fonts-arphic-ukai) not installed"
)


@pytest.fixture(autouse=True)
def fresh_font_caches():
    fonts.clear_caches()
    saved = list(printing.PRE_PRINT_CHECKS)
    printing.PRE_PRINT_CHECKS.clear()
    yield
    printing.PRE_PRINT_CHECKS[:] = saved
    fonts.clear_caches()


@pytest.fixture
def admin(ctx, users):
    return as_user(ctx, users[Role.ADMIN])


def font_names(path) -> set[str]:
    names: set[str] = set()
    for page in pypdf.PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            names.add(str(font.get("/BaseFont", "")))
            for desc in font.get("/DescendantFonts", []):
                names.add(str(desc.get_object().get("/BaseFont", "")))
    return names


def approved_notice(ctx, users):
    n = ops.create_notice(ctx, notice_input(ctx, title="关于柳河村低保对象的公示"))
    approve_all(ctx, users, n.id)
    return n


def status_of(ctx, role: str) -> fonts.FontStatus:
    return next(s for s in printing.font_status(ctx) if s.role == role)


@needs_ukai
def test_body_override_is_reported_and_printed(ctx, users, admin, tmp_path):
    notice = approved_notice(ctx, users)
    before = tmp_path / "before.pdf"
    printing.print_notice(ctx, notice.id, before, invariant=True)
    assert not any("UKai" in n for n in font_names(before))

    printing.set_font_override(admin, "body", UKAI)
    assert printing.font_overrides(ctx) == {"body": UKAI}
    body = status_of(ctx, "body")
    assert body.font is not None and body.font.path == UKAI
    assert body.font.source == "设置中指定" and not body.font.substitute
    assert "ukai.ttc" in body.text and "设置中指定" in body.text

    after = tmp_path / "after.pdf"
    printing.print_notice(ctx, notice.id, after, invariant=True)
    assert any("UKai" in n for n in font_names(after)), font_names(after)

    rows = [e for e in audit_store.entries_for(ctx.db, "setting", "body")
            if e.action == "set_print_font"]
    assert len(rows) == 1 and json.loads(rows[0].payload) == {"path": UKAI}


@needs_ukai
def test_clearing_restores_the_automatic_choice(ctx, users, admin):
    automatic = status_of(ctx, "body")
    printing.set_font_override(admin, "body", UKAI)
    assert status_of(ctx, "body").font.path == UKAI
    printing.set_font_override(admin, "body", None)
    assert printing.font_overrides(ctx) == {}
    assert status_of(ctx, "body") == automatic


@needs_ukai
def test_non_admin_is_refused(ctx, users):
    with pytest.raises(PermissionDenied):
        printing.set_font_override(ctx, "body", UKAI)  # ctx is the clerk
    assert printing.font_overrides(ctx) == {}


def test_missing_file_is_refused(ctx, users, admin, tmp_path):
    with pytest.raises(UserError, match="不存在") as info:
        printing.set_font_override(admin, "title", tmp_path / "没有这个字体.ttf")
    assert "正文" not in info.value.message and "标题" in info.value.message
    assert org_store.get_setting(ctx.db, "print_font.title") == ""
    assert printing.font_overrides(ctx) == {}


def test_non_font_file_is_refused(ctx, users, admin, tmp_path):
    fake = tmp_path / "fake.ttf"
    fake.write_text("这不是字体文件" * 20, encoding="utf-8")
    with pytest.raises(UserError) as info:
        printing.set_font_override(admin, "heading1", fake)
    assert "fake.ttf" in info.value.message and "字体" in info.value.message
    assert printing.font_overrides(ctx) == {}


def test_cff_font_is_refused_with_a_reason(ctx, users, admin, tmp_path):
    # A minimal OpenType header with CFF outlines: reportlab cannot embed it.
    otf = tmp_path / "cff.otf"
    otf.write_bytes(b"OTTO" + b"\x00\x00" + b"\x00" * 6)
    with pytest.raises(UserError, match="CFF"):
        printing.set_font_override(admin, "body", otf)
    assert printing.font_overrides(ctx) == {}


def test_unknown_role_is_refused(ctx, users, admin):
    with pytest.raises(UserError, match="未知"):
        printing.set_font_override(admin, "footnote", UKAI)
