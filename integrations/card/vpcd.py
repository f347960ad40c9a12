"""Attach a virtual card to pcscd's vpcd virtual reader (vsmartcard), over TCP.

vpcd (inside pcscd) listens; the card connects as a client. Frames both ways are a 2-byte
big-endian length and a payload. A 1-byte payload from vpcd is a control command: 00 power
off, 01 power on, 02 reset (no reply), 04 "send the ATR". Anything longer is an APDU, answered
with the response APDU. Used by the tests to drive the pyscard path against a real pcscd.
"""

from __future__ import annotations

import socket
import struct
import threading
import time

from integrations.card.piv import VirtualPivCard

ATR = bytes.fromhex("3b80800101")


class VpcdCard:
    def __init__(self, card: VirtualPivCard, host: str = "127.0.0.1", port: int = 35963) -> None:
        self.card = card
        self.address = (host, port)
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    def insert(self, timeout: float = 10.0) -> None:
        """Connect to vpcd (retrying while pcscd starts) and serve the card in a thread."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self._socket = socket.create_connection(self.address, timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        self._socket.settimeout(0.5)
        self._thread = threading.Thread(target=self._serve, name="vpcd-card", daemon=True)
        self._thread.start()

    def remove(self) -> None:
        self._stopping.set()
        if self._socket is not None:
            self._socket.close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _serve(self) -> None:
        assert self._socket is not None
        while not self._stopping.is_set():
            try:
                header = self._receive(2)
                if header is None:
                    return
                payload = self._receive(struct.unpack(">H", header)[0])
                if payload is None:
                    return
            except OSError:
                return
            if len(payload) == 1:
                if payload[0] == 0x04:
                    self._send(ATR)
                elif payload[0] in (0x00, 0x01, 0x02):
                    self.card.power_cycle()
                continue
            self._send(self.card.transmit(payload))

    def _receive(self, size: int) -> bytes | None:
        assert self._socket is not None
        data = b""
        while len(data) < size:
            if self._stopping.is_set():
                return None
            try:
                chunk = self._socket.recv(size - len(data))
            except TimeoutError:
                continue
            if not chunk:
                return None
            data += chunk
        return data

    def _send(self, payload: bytes) -> None:
        assert self._socket is not None
        self._socket.sendall(struct.pack(">H", len(payload)) + payload)
