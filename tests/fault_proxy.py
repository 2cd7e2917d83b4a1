"""A small TCP proxy on 127.0.0.1 between a workstation and its hub, that misbehaves on demand.

Modes: ``pass`` forwards; ``drop`` closes each new connection at once; ``reset`` reads the request
and resets the connection (RST) without answering; ``truncate`` forwards the request and cuts the
answer off after its first ``cut`` bytes; ``unavailable`` answers every request 503 itself.
Runs in a thread with its own event loop; ``close`` stops it.
"""

from __future__ import annotations

import asyncio
import socket
import struct
import threading

_PAGE = b"<h1>maintenance</h1>"
_UNAVAILABLE = (b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/html\r\n"
                b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(_PAGE), _PAGE))


class FaultProxy:
    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.mode = "pass"
        self.cut = 40
        self.connections = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("proxy did not start")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        mode = self.mode
        try:
            if mode == "drop":
                return
            if mode == "reset":
                await asyncio.wait_for(reader.read(65536), 5)
                sock = writer.get_extra_info("socket")
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return
            if mode == "unavailable":
                await asyncio.wait_for(reader.read(65536), 5)
                writer.write(_UNAVAILABLE)
                await writer.drain()
                return
            upstream_reader, upstream_writer = await asyncio.open_connection(
                "127.0.0.1", self.target_port)
            try:
                await self._relay(reader, writer, upstream_reader, upstream_writer, mode)
            finally:
                upstream_writer.close()
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    async def _relay(self, reader, writer, upstream_reader, upstream_writer, mode: str) -> None:
        async def upward() -> None:
            while data := await reader.read(65536):
                upstream_writer.write(data)
                await upstream_writer.drain()

        async def downward() -> None:
            sent = 0
            while data := await upstream_reader.read(65536):
                if mode == "truncate":
                    data = data[: max(0, self.cut - sent)]
                    sent += len(data)
                    writer.write(data)
                    await writer.drain()
                    if sent >= self.cut:
                        return
                    continue
                writer.write(data)
                await writer.drain()

        tasks = [asyncio.ensure_future(upward()), asyncio.ensure_future(downward())]
        await asyncio.wait(tasks, timeout=30, return_when=asyncio.FIRST_COMPLETED)
        for task in tasks:
            task.cancel()

    def close(self) -> None:
        self._loop.call_soon_threadsafe(self._server.close)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
