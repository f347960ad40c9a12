"""Face verification (E证通 / eID, HN-5): the legal representative proves in person, in the
provider's mini-program, that they are who the certification names.

``start`` returns the provider's token and the URL the mini-program opens; the provider then
calls the gateway back (``POST /webhooks/eid``, signed like the institutions' callbacks) with
``{"token", "errCode", "errMsg", "similarity"}``: ``errCode`` 0 means verified.

The simulator plays the user: after a delay it reports success when the identity service knows
the person under that name, ``-1101`` (the face does not match the ID photo) for people the rules
list, and ``3`` (name and ID number do not match) otherwise.
"""

from __future__ import annotations

import asyncio
import secrets
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

import httpx

from integrations.identity.base import IdentityUnavailable, Outcome, Person
from integrations.identity.simulator import SimulatedIdentityVerifier
from integrations.institutions.simulator import post_signed

EID_WEBHOOK = "/webhooks/eid"
Callback = Callable[[str, bytes, dict[str, str]], Awaitable[int]]


@dataclass(frozen=True, slots=True)
class FaceSession:
    token: str
    url: str


class FaceVerifier(Protocol):
    async def start(self, name: str, id_number: str, reference: str) -> FaceSession: ...


class HttpFaceVerifier:
    """``POST {base}/eid-tokens`` ``{name, idCard, extra, callbackUrl}`` -> ``{token, url}``."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        callback_url: str,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self._url = base_url.rstrip("/") + "/eid-tokens"
        self._headers = {"Authorization": f"Bearer {api_key}"}
        self._callback_url = callback_url
        self._client = client or httpx.AsyncClient(timeout=httpx.Timeout(10.0))

    async def start(self, name: str, id_number: str, reference: str) -> FaceSession:
        body = {
            "name": name,
            "idCard": id_number,
            "extra": reference,
            "callbackUrl": self._callback_url,
        }
        try:
            response = await self._client.post(self._url, json=body, headers=self._headers)
            answer = response.json()
        except (httpx.TransportError, ValueError) as error:
            raise IdentityUnavailable(type(error).__name__) from error
        if response.status_code >= 400 or "token" not in answer:
            raise IdentityUnavailable(f"eID answered {response.status_code}")
        return FaceSession(token=str(answer["token"]), url=str(answer["url"]))


@dataclass
class FaceRules:
    delay_seconds: float = 0.3
    # ID numbers whose holder's face does not match the ID photo (-1101).
    face_mismatch: set[str] = field(default_factory=set)


class SimulatedFaceVerifier:
    def __init__(
        self,
        identity: SimulatedIdentityVerifier,
        secret: bytes,
        rules: FaceRules | None = None,
        callback: Callback | None = None,
    ) -> None:
        self.identity = identity
        self.secret = secret
        self.rules = rules or FaceRules()
        self.callback = callback
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self, name: str, id_number: str, reference: str) -> FaceSession:
        token = secrets.token_urlsafe(24)
        task = asyncio.ensure_future(self._complete(token, name, id_number))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return FaceSession(token=token, url=f"https://eid.example/h5?token={token}")

    async def drain(self) -> None:
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _complete(self, token: str, name: str, id_number: str) -> None:
        await asyncio.sleep(self.rules.delay_seconds)
        outcome = self.identity.verdict(Person(name, "RESIDENT_ID", id_number))
        if outcome != Outcome.MATCH:
            code, message = 3, "身份证号与姓名不匹配"
        elif id_number in self.rules.face_mismatch:
            code, message = -1101, "人脸与身份证照片比对不一致"
        else:
            code, message = 0, "成功"
        event = {
            "eventId": uuid.uuid4().hex,
            "token": token,
            "errCode": code,
            "errMsg": message,
            "similarity": 92.5 if code == 0 else 41.0,
        }
        await post_signed(self.callback, EID_WEBHOOK, self.secret, event, "eID")
