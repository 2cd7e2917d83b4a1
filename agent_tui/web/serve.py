"""The browser route put together from the config: the password file, the cookie secret, the
sign-in desk (with the hub asked about tokens when one is configured) and the server."""

from __future__ import annotations

from pathlib import Path

from agent_tui.config import Config
from agent_tui.web.attempts import FailedSignIns
from agent_tui.web.cookies import CookieSigner, load_secret
from agent_tui.web.passwords import PasswordStore
from agent_tui.web.places import private_dir, web_dir
from agent_tui.web.server import WebServer, WebSettings
from agent_tui.web.sign_in import SignInDesk
from agent_tui.web.workstations import Workstations


def hub_identity(url: str):
    """A function telling whose a hub token is (None when the hub does not take it)."""
    def identity(token: str) -> str | None:
        from agent_tui.sync.hub_client import HubClient, HubRefused, HubUnreachable

        client = HubClient(url, token)
        try:
            return client.identity().agent_id
        except (HubRefused, HubUnreachable):
            return None
        finally:
            client.close()
    return identity


def build_server(config: Config, language: str, *, max_sessions: int, session_hours: float,
                 secure_cookie: bool, store: Path | None,
                 folder: Path | None = None) -> WebServer:
    folder = private_dir(folder or web_dir())
    settings = WebSettings(max_sessions=max_sessions, session_hours=session_hours,
                           secure_cookie=secure_cookie)
    signer = CookieSigner(load_secret(folder / "secret"), int(session_hours * 3600))
    desk = SignInDesk(PasswordStore(folder / "users.json"), FailedSignIns(),
                      hub_identity(config.hub.url) if config.hub.url else None)
    workstations = Workstations(config, folder / "agents", store)
    return WebServer(settings, signer, desk, workstations, language)
