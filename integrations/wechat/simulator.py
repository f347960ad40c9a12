"""WeChat's login in software. The simulated mini-program asks :meth:`login_code` for a code as
``wx.login()`` would, for a named simulated WeChat user; the same user always gets the same
``openid`` (``"o" + base64url(sha256(appid ‖ user))[:27]``). A code works once (40163 after),
expires after five minutes, and anything the simulator did not issue is 40029."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time

from integrations.wechat.base import WeChatRejected, WeChatSession

CODE_TTL_SECONDS = 300


class SimulatedWeChatLogin:
    def __init__(self, app_id: str = "wx-simulated") -> None:
        self.app_id = app_id
        self._issued: dict[str, tuple[str, float]] = {}
        self._used: set[str] = set()

    def login_code(self, user: str) -> str:
        code = secrets.token_urlsafe(24)
        self._issued[code] = (user, time.monotonic())
        return code

    def openid_of(self, user: str) -> str:
        digest = hashlib.sha256(f"{self.app_id}{user}".encode()).digest()
        return "o" + base64.urlsafe_b64encode(digest).decode()[:27]

    async def code_to_session(self, code: str) -> WeChatSession:
        if code in self._used:
            raise WeChatRejected(40163, "code been used")
        issued = self._issued.pop(code, None)
        if issued is None or time.monotonic() - issued[1] > CODE_TTL_SECONDS:
            raise WeChatRejected(40029, "invalid code")
        self._used.add(code)
        return WeChatSession(openid=self.openid_of(issued[0]))
