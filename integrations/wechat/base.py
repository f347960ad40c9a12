"""The interface shared by the HTTP adapter and the simulator."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class WeChatError(Exception):
    """WeChat gave no session."""


class WeChatUnavailable(WeChatError):
    """WeChat could not be reached, or answered -1 (system busy): try again."""


class WeChatRejected(WeChatError):
    """WeChat refused the code: 40029 invalid, 40163 already used, 45011 rate limit, 40226
    high-risk user."""

    def __init__(self, errcode: int, errmsg: str = "") -> None:
        super().__init__(f"{errcode} {errmsg}".strip())
        self.errcode = errcode


@dataclass(frozen=True, slots=True)
class WeChatSession:
    """Who the mini-program's user is: ``openid`` per mini-program, ``unionid`` if bound to an
    Open Platform account. The ``session_key`` is never kept or shown."""

    openid: str
    unionid: str | None = None


class WeChatLogin(Protocol):
    async def code_to_session(self, code: str) -> WeChatSession: ...
