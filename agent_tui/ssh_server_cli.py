"""``agent-tui ssh session-server``: the account's pre-forked session server (docs/deploy-ssh.md,
"Sizing"). It loads what every session loads (the App, every screen, the hub client, both
catalogs), collects and freezes the garbage collector's objects so the children's first
collections do not write to every page, and then serves the forced commands' hand-overs with
``agent_tui.ssh_server``: each session a fork that shares those pages until it writes them."""

from __future__ import annotations

import gc
import importlib
import os
import pkgutil
import sys
import threading
from pathlib import Path

import click

from agent_tui.cli_config import _fail
from agent_tui.i18n import SUPPORTED, Catalog, TranslatableError, language_from_environment
from agent_tui.ssh_forced import run_agent_session
from agent_tui.ssh_server import wire
from agent_tui.ssh_server.server import ServerError, SessionServer, listen

# Every module of these packages is imported before the fork: what a session imports late
# (a screen opened on a key, the sync's client) is then shared too. Not the hub's server side.
PRELOADED_PACKAGES = ("agent_tui.app", "screens", "agent_tui.sync", "agent_tui.store",
                      "agent_tui.library", "agent_tui.domain", "agent_tui.call_engine")


def preload() -> int:
    """Import what a session will, without starting anything; the count of modules loaded."""
    # Textual reads its settings from the environment when it is imported: a session's are the
    # low-bandwidth profile's (ssh_access.session_environment), so the server's must be too.
    os.environ["TEXTUAL_ANIMATIONS"] = "none"
    for name in PRELOADED_PACKAGES:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(getattr(package, "__path__", []), f"{name}."):
            importlib.import_module(module.name)
    import httpx  # noqa: F401  (the hub's client, imported by the sync on its first run)

    for language in SUPPORTED:
        Catalog.load(language)
    return len(sys.modules)


@click.command("session-server")
@click.option("--socket", "socket_file", type=click.Path(path_type=Path, dir_okay=False),
              help="The socket to listen on (default: $AGENT_TUI_SESSION_SOCKET, else "
                   "$XDG_RUNTIME_DIR/agent-tui/sessions.sock).")
def session_server(socket_file: Path | None) -> None:
    """Run this account's SSH sessions in forks of one process that has loaded the workstation
    once (run by systemd as the agents' account; see docs/deploy-ssh.md)."""
    language = language_from_environment()
    path = socket_file or wire.socket_path(os.environ)
    modules = preload()
    try:
        listener = listen(path)
    except (ServerError, OSError) as error:
        _fail(TranslatableError("ssh_server.cannot_listen", path=str(path),
                                reason=getattr(error, "strerror", None) or str(error)), language)
    if threading.active_count() != 1:  # a fork of a process with threads is unsafe
        raise RuntimeError("a thread started before the session server forks")
    click.echo(Catalog.load(language).text("ssh_server.listening", path=str(path),
                                           modules=modules), err=True)
    gc.collect()
    gc.freeze()
    SessionServer(path, run_agent_session).serve(listener)
