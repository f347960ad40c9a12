"""The real adapter: ``GET https://api.weixin.qq.com/sns/jscode2session`` (auth.code2Session)."""

from __future__ import annotations

import httpx

from integrations.wechat.base import WeChatRejected, WeChatSession, WeChatUnavailable

URL = "https://api.weixin.qq.com/sns/jscode2session"


class HttpWeChatLogin:
    def __init__(
        self, app_id: str, app_secret: str, client: httpx.AsyncClient | None = None, url: str = URL
    ) -> None:
        self._params = {"appid": app_id, "secret": app_secret, "grant_type": "authorization_code"}
        self._url = url
        self._client = client or httpx.AsyncClient(timeout=httpx.Timeout(5.0))

    async def code_to_session(self, code: str) -> WeChatSession:
        try:
            response = await self._client.get(self._url, params={**self._params, "js_code": code})
            body = response.json()
        except (httpx.TransportError, ValueError) as error:
            raise WeChatUnavailable(type(error).__name__) from error
        errcode = int(body.get("errcode") or 0)
        if errcode == -1 or response.status_code >= 500:
            raise WeChatUnavailable(str(body.get("errmsg", "system busy")))
        if errcode != 0 or not body.get("openid"):
            raise WeChatRejected(errcode, str(body.get("errmsg", "")))
        return WeChatSession(openid=str(body["openid"]), unionid=body.get("unionid"))
