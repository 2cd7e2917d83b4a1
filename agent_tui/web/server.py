"""The browser route's HTTP side (aiohttp, as textual-serve is): the sign-in in front of every
page, static file and the websocket; then, per websocket, one workstation process for the agent
who signed in, run by textual-serve's ``AppService``.

textual-serve's own ``Server`` is not used: it has no sign-in, serves a page that fetches fonts
from another site, and builds its websocket address from its own host and port (wrong behind a
TLS proxy). Its ``AppService`` (the process and its protocol) and its static files are.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import WSMsgType, web

from agent_tui.i18n import SUPPORTED, Catalog
from agent_tui.web import pages
from agent_tui.web.cookies import COOKIE_NAME, CookieSigner, SessionClaim, cookie_options
from agent_tui.web.sign_in import Refused, SignInDesk
from agent_tui.web.workstations import Workstation, Workstations

log = logging.getLogger("agent_tui.web")
STOP_TIMEOUT_S = 20.0
SESSIONS_PER_AGENT = 5  # signed in on this many browsers at most: the oldest is signed out
PUBLIC = frozenset({"/sign-in", "/sign-out"})
_HEADERS = {"X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer",
            "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}


@dataclass
class WebSettings:
    max_sessions: int = 20          # workstations running at once: each is a process
    session_hours: float = 12       # a cookie older than this is refused: sign in again
    secure_cookie: bool = False     # set when agents reach it over https (a TLS proxy)


@dataclass
class Session:
    session_id: str
    agent_id: str
    station: Workstation
    started: float = field(default_factory=time.monotonic)


@dataclass
class OpenStation:
    """An agent's workstation now running, and its websocket."""
    socket: web.WebSocketResponse
    closed: asyncio.Event = field(default_factory=asyncio.Event)


def _static_dir() -> Path:
    import textual_serve

    return Path(textual_serve.__file__).parent / "static"


def _language(request: web.Request, default: str) -> str:
    """The page's language: ?lang=, else the browser's first choice we speak, else ours."""
    asked = request.query.get("lang", "")
    if asked in SUPPORTED:
        return asked
    for part in request.headers.get("Accept-Language", "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh-CN"
        if tag.startswith("en"):
            return "en"
    return default


class WebServer:
    def __init__(self, settings: WebSettings, signer: CookieSigner, desk: SignInDesk,
                 workstations: Workstations, language: str) -> None:
        self.settings = settings
        self.signer = signer
        self.desk = desk
        self.workstations = workstations
        self.language = language        # the server's, for a browser that says nothing
        self.sessions: dict[str, Session] = {}
        # One workstation per agent (its store is locked by the one that has it): a new window
        # of the same agent (a reload, a second tab) takes over from the one before.
        self.open: dict[str, OpenStation] = {}

    def _full_for(self, agent_id: str) -> bool:
        return agent_id not in self.open and len(self.open) >= self.settings.max_sessions

    def application(self) -> web.Application:
        app = web.Application(middlewares=[self._guard], client_max_size=16 * 1024)
        app.add_routes([
            web.get("/sign-in", self.sign_in_form),
            web.post("/sign-in", self.sign_in),
            web.get("/sign-out", self.sign_out),
            web.get("/", self.workstation),
            web.get("/ws", self.websocket),
            web.static("/static", _static_dir()),
        ])
        app.on_shutdown.append(self._close_all)
        return app

    def session_of(self, request: web.Request) -> Session | None:
        claim = self.signer.load(request.cookies.get(COOKIE_NAME))
        if claim is None:
            return None
        session = self.sessions.get(claim.session_id)
        if session is None or session.agent_id != claim.agent_id:
            return None  # signed out, or from before a restart
        return session

    @web.middleware
    async def _guard(self, request: web.Request, handler):
        """Nothing but the sign-in without a live session: pages go to the sign-in, the
        websocket is refused before it is opened."""
        try:
            if request.path not in PUBLIC:
                session = self.session_of(request)
                if session is None:
                    if request.path == "/ws":
                        return web.Response(status=401, text="sign in first\n")
                    raise web.HTTPSeeOther("/sign-in")
                request["session"] = session
            response = await handler(request)
        except web.HTTPException as redirect:  # to the sign-in, or from it
            redirect.headers.update(_HEADERS)
            raise
        if not isinstance(response, web.WebSocketResponse):
            response.headers.update(_HEADERS)
        return response

    def _catalog(self, request: web.Request, language: str | None = None) -> Catalog:
        return Catalog.load(language if language in SUPPORTED else
                            _language(request, self.language))

    async def sign_in_form(self, request: web.Request) -> web.Response:
        return self._sign_in_page(self._catalog(request))

    def _sign_in_page(self, catalog: Catalog, status: int = 200, **values: str) -> web.Response:
        response = web.Response(status=status, text=pages.sign_in_page(catalog, **values),
                                content_type="text/html")
        response.headers["Content-Security-Policy"] = pages.SIGN_IN_POLICY
        return response

    async def sign_in(self, request: web.Request) -> web.Response:
        form = await request.post()
        agent, secret = str(form.get("agent", ""))[:64], str(form.get("secret", ""))[:512]
        catalog = self._catalog(request, str(form.get("lang", "")))
        outcome = await self.desk.sign_in(agent, secret, request.remote or "")
        if isinstance(outcome, Refused):
            if outcome.key == "web.too_many":
                return self._notice(catalog, 429, "web.too_many_title",
                                    catalog.text(outcome.key, minutes=outcome.wait_minutes))
            return self._sign_in_page(catalog, 401, agent=agent[:16],
                                      problem=catalog.text(outcome.key))
        session_id = secrets.token_urlsafe(24)
        station = Workstation(outcome.agent_id, outcome.name, outcome.staff_number,
                              catalog.language, outcome.hub_token)
        self._forget_old_sessions(outcome.agent_id)
        self.sessions[session_id] = Session(session_id, outcome.agent_id, station)
        log.info("signed in: %s", outcome.agent_id)
        response = web.HTTPSeeOther("/")
        max_age = int(self.settings.session_hours * 3600)
        response.set_cookie(COOKIE_NAME, self.signer.sign(SessionClaim(session_id, outcome.agent_id)),
                            **cookie_options(max_age, self.settings.secure_cookie))
        raise response

    def _forget_old_sessions(self, agent_id: str) -> None:
        """Sessions past their time go (their cookies are refused anyway), and an agent keeps
        at most SESSIONS_PER_AGENT: the server's memory never grows with sign-ins."""
        cutoff = time.monotonic() - self.settings.session_hours * 3600
        for session_id, session in list(self.sessions.items()):
            if session.started < cutoff:
                del self.sessions[session_id]
        own = sorted((s for s in self.sessions.values() if s.agent_id == agent_id),
                     key=lambda session: session.started)
        for session in own[:max(0, len(own) - SESSIONS_PER_AGENT + 1)]:
            del self.sessions[session.session_id]

    async def sign_out(self, request: web.Request) -> web.Response:
        session = self.session_of(request)
        if session is not None:
            self.sessions.pop(session.session_id, None)
        response = web.HTTPSeeOther("/sign-in")
        response.del_cookie(COOKIE_NAME, path="/")
        raise response

    def _notice(self, catalog: Catalog, status: int, title_key: str,
                message: str) -> web.Response:
        return web.Response(status=status, text=pages.notice_page(catalog, title_key, message),
                            content_type="text/html")

    def _full(self, request: web.Request) -> web.Response:
        catalog = self._catalog(request, request["session"].station.language)
        return self._notice(catalog, 503, "web.full_title",
                            catalog.text("web.full", limit=self.settings.max_sessions))

    async def workstation(self, request: web.Request) -> web.Response:
        session: Session = request["session"]
        if self._full_for(session.agent_id):
            return self._full(request)
        catalog = Catalog.load(session.station.language)
        return web.Response(text=pages.workstation_page(catalog),
                            content_type="text/html")

    def _same_origin(self, request: web.Request) -> bool:
        """A websocket is not bound by the same-origin rule: a page elsewhere could open one.
        The session cookie is SameSite=Strict, and the Origin must be this host as well."""
        origin = request.headers.get("Origin")
        return origin is None or urlsplit(origin).netloc == request.host

    async def websocket(self, request: web.Request) -> web.StreamResponse:
        if not self._same_origin(request):
            return web.Response(status=403, text="cross-site websocket refused\n")
        session: Session = request["session"]
        agent = session.agent_id
        if self._full_for(agent):
            return web.Response(status=503, text="all sessions in use\n")
        previous = self.open.get(agent)
        if previous is not None:  # this window takes over: the one before ends first
            await previous.socket.close(code=4001, message=b"opened in another window")
            await asyncio.wait_for(previous.closed.wait(), 60)
            if self._full_for(agent):  # another agent came in meanwhile
                return web.Response(status=503, text="all sessions in use\n")
        socket = web.WebSocketResponse(heartbeat=15, max_msg_size=64 * 1024)
        station = self.open[agent] = OpenStation(socket)
        try:
            await socket.prepare(request)
            await self._serve(request, session, socket)
        finally:
            if self.open.get(agent) is station:
                del self.open[agent]
            station.closed.set()
        return socket

    async def _serve(self, request: web.Request, session: Session,
                     socket: web.WebSocketResponse) -> None:
        from textual_serve.app_service import AppService
        from textual_serve.download_manager import DownloadManager

        command = self.workstations.command(session.station)
        service = AppService(command, write_bytes=socket.send_bytes, write_str=socket.send_str,
                             close=socket.close, download_manager=DownloadManager())
        try:
            await service.start(_size(request, "width", 80), _size(request, "height", 24))
            # The window ends when the browser goes or when the workstation does (it quit, or
            # could not start): a socket left open on a dead workstation shows a frozen screen.
            relay = asyncio.ensure_future(_relay(socket, service))
            running = service._task  # textual-serve keeps its task private
            await asyncio.wait({relay, running} if running else {relay},
                               return_when=asyncio.FIRST_COMPLETED)
            relay.cancel()
        finally:
            await _stop(service)
            await socket.close()

    async def _close_all(self, _app: web.Application) -> None:
        for station in list(self.open.values()):
            await station.socket.close(code=1001)


async def _stop(service) -> None:
    """The workstation asked to quit (its draft is kept as it goes), and waited for; killed if
    it has not gone in time, so a window never stays locked out of its store."""
    process = getattr(service, "_process", None)  # textual-serve keeps it private
    try:
        await asyncio.wait_for(service.stop(), STOP_TIMEOUT_S)
        # stop() returns when the workstation's output ends; the store's lock goes only with the
        # process, and a window taking over must not start before it has (it would be refused).
        if process is not None:
            await asyncio.wait_for(process.wait(), STOP_TIMEOUT_S)
    except TimeoutError:
        if process is not None and process.returncode is None:
            log.warning("workstation %s did not quit: killed", process.pid)
            process.kill()
            await process.wait()


def _size(request: web.Request, name: str, default: int) -> int:
    try:
        return min(max(int(request.query.get(name, default)), 10), 500)
    except ValueError:
        return default


async def _relay(socket: web.WebSocketResponse, service) -> None:
    """The browser's messages to the workstation (textual-serve's protocol); anything malformed
    is dropped, never raised."""
    async for message in socket:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            envelope = json.loads(message.data)
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
        except (ValueError, TypeError, IndexError, KeyError):
            continue
        if kind == "stdin" and isinstance(data, str):
            await service.send_bytes(data.encode("utf-8"))
        elif kind == "resize" and isinstance(data, dict):
            width, height = data.get("width"), data.get("height")
            if isinstance(width, int) and isinstance(height, int):
                await service.set_terminal_size(min(max(width, 10), 500),
                                                min(max(height, 5), 500))
        elif kind == "ping":
            await socket.send_json(["pong", data])
        elif kind == "blur":
            await service.blur()
        elif kind == "focus":
            await service.focus()
