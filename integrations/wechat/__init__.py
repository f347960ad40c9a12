"""WeChat mini-program login (HN-5): a ``wx.login()`` code becomes the user's ``openid``.

Exceptions::

    WeChatError
    +-- WeChatUnavailable   WeChat could not be reached or was busy: try again
    +-- WeChatRejected      WeChat refused the code (``errcode`` says why)
"""

from integrations.wechat.base import (
    WeChatError,
    WeChatLogin,
    WeChatRejected,
    WeChatSession,
    WeChatUnavailable,
)
from integrations.wechat.http import HttpWeChatLogin
from integrations.wechat.simulator import SimulatedWeChatLogin

__all__ = [
    "HttpWeChatLogin",
    "SimulatedWeChatLogin",
    "WeChatError",
    "WeChatLogin",
    "WeChatRejected",
    "WeChatSession",
    "WeChatUnavailable",
]
