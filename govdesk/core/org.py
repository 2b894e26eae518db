"""The organisation: township, units, communities, boards, categories, channels, users, roles."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Role(enum.StrEnum):
    ADMIN = "admin"
    CLERK = "clerk"
    UNIT_HEAD = "unit_head"
    SECRECY_OFFICER = "secrecy_officer"
    DEPUTY_LEADER = "deputy_leader"
    PRINCIPAL_LEADER = "principal_leader"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @classmethod
    def from_text(cls, text: str) -> Role:
        """Accept the English value or the Chinese label (for the command line and imports)."""
        text = text.strip()
        for role in cls:
            if text in (role.value, role.label):
                return role
        allowed = "、".join(r.label for r in cls)
        raise ValueError(f"角色“{text}”不存在，可选：{allowed}")


ROLE_LABELS = {
    Role.ADMIN: "管理员",
    Role.CLERK: "经办人",
    Role.UNIT_HEAD: "科室负责人",
    Role.SECRECY_OFFICER: "保密审查员",
    Role.DEPUTY_LEADER: "分管领导",
    Role.PRINCIPAL_LEADER: "主要领导",
}


class CommunityKind(enum.StrEnum):
    NEIGHBOURHOOD = "社区"
    VILLAGE = "村"


class BoardKind(enum.StrEnum):
    GOVERNMENT = "政务公开栏"
    RESIDENTS = "居务公开栏"
    VILLAGE = "村务公开栏"
    THREE_AFFAIRS = "三务公开栏"
    SCREEN = "电子屏"
    FEE_WALL = "收费公示墙"


@dataclass(frozen=True, slots=True)
class Township:
    full_name: str = ""
    short_name: str = ""
    credit_code: str = ""
    address: str = ""
    phone: str = ""
    index_pattern: str = "{code}/{year}-{seq:05}"


@dataclass(frozen=True, slots=True)
class Unit:
    id: int
    name: str
    active: bool = True
    sort: int = 0


@dataclass(frozen=True, slots=True)
class Community:
    id: int
    name: str
    kind: CommunityKind = CommunityKind.NEIGHBOURHOOD
    active: bool = True
    sort: int = 0


@dataclass(frozen=True, slots=True)
class Board:
    id: int
    code: str
    name: str
    kind: BoardKind
    location: str = ""
    community_id: int | None = None
    unit_id: int | None = None
    active: bool = True
    owner_name: str = ""  # filled by the store for display: community or unit name
    paper: str = "A4"  # what its notices are printed on: A4, or A3 for a large board


@dataclass(frozen=True, slots=True)
class Category:
    id: int
    name: str
    publish_limit_days: int = 20  # 条例第二十六条: 20 working days unless a law says otherwise
    active: bool = True
    sort: int = 0


@dataclass(frozen=True, slots=True)
class Channel:
    id: int
    name: str
    active: bool = True
    sort: int = 0


@dataclass(frozen=True, slots=True)
class User:
    id: int
    login: str
    name: str
    role: Role
    unit_id: int | None = None
    active: bool = True
    failed_count: int = 0
    locked_until: str | None = None  # ISO UTC timestamp

    @property
    def role_label(self) -> str:
        return self.role.label
