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

# Imported by Textual and the hub client when an App runs or a request is made, not on import.
LATE_MODULES = ("tty", "encodings.idna", "encodings.utf_8_sig", "textual.drivers.linux_driver",
                "textual.drivers._writer_thread", "textual._xterm_parser",
                "textual._keyboard_protocol", "textual.scrollbar", "textual.pilot",
                "textual.layouts.factory", "textual.layouts.horizontal",
                "textual.layouts.stream", "httpcore", "h11", "certifi")


def preload() -> int:
    """Import what a session will, without starting anything; the count of modules loaded."""
    # Textual reads its settings from the environment when it is imported: a session's are the
    # low-bandwidth profile's (ssh_access.session_environment), so the server's must be too.
    os.environ["TEXTUAL_ANIMATIONS"] = "none"
    for name in PRELOADED_PACKAGES:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(getattr(package, "__path__", []), f"{name}."):
            importlib.import_module(module.name)
    for name in LATE_MODULES:
        importlib.import_module(name)
    _warm()
    for language in SUPPORTED:
        Catalog.load(language)
    return len(sys.modules)


def _warm() -> None:
    """What a session loads on first use rather than on import, loaded here to be shared: the
    hub client's TLS context (every CA certificate, about 2 MB) and its HTTP/1.1 stack, the
    wide characters' table (a Chinese name), the emoji table, and rjieba's dictionary (33 MB,
    loaded by a session only to index an article the hub published: shared when it is here)."""
    import httpx
    from rich.cells import cell_len
    from rich.emoji import Emoji

    from agent_tui.domain import segment
    from agent_tui.sync.hub_client import tls_context

    with httpx.Client(verify=tls_context()):  # imports httpcore, h11 and their helpers
        pass
    cell_len("李娜 · 工号")
    Emoji.replace(":smile:")
    segment.load_dictionary()


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
