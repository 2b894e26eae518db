"""Typed QSettings wrapper for window state only (geometry, column widths, last folders).
Business settings live in the database."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

ORGANISATION = "govdesk"
APPLICATION = "govdesk"


def settings() -> QSettings:
    return QSettings(ORGANISATION, APPLICATION)


def load_bytes(key: str) -> QByteArray | None:
    value = settings().value(key)
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def save_bytes(key: str, value: QByteArray) -> None:
    settings().setValue(key, value)


def last_dir(key: str, default: str = "") -> str:
    value = settings().value(f"dirs/{key}", default)
    return str(value) if value else default


def set_last_dir(key: str, folder: str) -> None:
    settings().setValue(f"dirs/{key}", folder)
