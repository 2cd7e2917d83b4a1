"""``agent-tui web …``: serve the workstation in a browser behind the app's own sign-in, and
keep the agents' passwords for it (``web user add | remove | list``)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from agent_tui.cli_config import _fail, _load
from agent_tui.i18n import Catalog, TranslatableError, language_from_environment

DEFAULT_PORT = 8760


def _catalog() -> Catalog:
    return Catalog.load(language_from_environment())


def _passwords():
    from agent_tui.web.passwords import PasswordStore
    from agent_tui.web.places import web_dir

    return PasswordStore(web_dir() / "users.json")


@click.group(invoke_without_command=True)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback unless told otherwise: put a TLS proxy in "
              "front, docs/deploy-web.md).")
@click.option("--port", type=click.IntRange(1, 65535), default=DEFAULT_PORT, show_default=True)
@click.option("--max-sessions", type=click.IntRange(1, 10_000), default=20, show_default=True,
              help="Workstations open at once (each is a process); one more is refused.")
@click.option("--session-hours", type=click.FloatRange(min=0.05, max=24 * 7), default=12,
              show_default=True, help="A sign-in lasts this long.")
@click.option("--secure-cookie/--no-secure-cookie", default=False, show_default=True,
              help="Mark the session cookie Secure (agents reach the server over https).")
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False),
              help="The config every agent's workstation starts from (default: the "
              "platform's, or $AGENT_TUI_CONFIG).")
@click.option("--store", type=click.Path(path_type=Path, dir_okay=False),
              help="One store for every agent (a demo). Default: each agent's own, in the "
              "data dir.")
@click.pass_context
def web(context: click.Context, host: str, port: int, max_sessions: int, session_hours: float,
        secure_cookie: bool, config_file: Path | None, store: Path | None) -> None:
    """Serve the workstation in a browser (textual-serve), behind a sign-in of its own."""
    if context.invoked_subcommand is not None:
        return
    from aiohttp import web as aiohttp_web

    from agent_tui.web.serve import build_server

    config, language = _load(config_file, None, None, None)
    try:
        server = build_server(config, language, max_sessions=max_sessions,
                              session_hours=session_hours, secure_cookie=secure_cookie,
                              store=store.resolve() if store else None)
    except TranslatableError as error:
        _fail(error, language)
    catalog = Catalog.load(language)

    async def announce(_app) -> None:  # once listening: a script waits for this line
        click.echo(catalog.text("web.serving", url=f"http://{host}:{port}"), err=True)

    app = server.application()
    app.on_startup.append(announce)
    try:
        aiohttp_web.run_app(app, host=host, port=port, print=None, access_log=None)
    except OSError as error:  # the port taken, an address not this machine's
        click.echo(catalog.text("web.cannot_listen", url=f"{host}:{port}",
                                reason=error.strerror or str(error)), err=True)
        sys.exit(2)


@web.group()
def user() -> None:
    """Agents' passwords for the browser's sign-in (hashed with Argon2id, file mode 0600)."""


@user.command("add")
@click.argument("agent")
@click.option("--name", default="", help="The agent's name, as the workstation shows it.")
@click.option("--staff-number", default="", help="The agent's staff number.")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from the first line of standard input (for scripts).")
def user_add(agent: str, name: str, staff_number: str, password_stdin: bool) -> None:
    """Set AGENT's password (asked twice, never echoed); replaces one set before."""
    from agent_tui.web.passwords import check_agent_id

    catalog = _catalog()
    try:
        check_agent_id(agent)
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = click.prompt(catalog.text("web.password_prompt", agent=agent),
                                    hide_input=True, confirmation_prompt=True)
        new = _passwords().add(agent, password, name or agent, staff_number or agent)
    except TranslatableError as error:
        _fail(error, catalog.language)
    click.echo(catalog.text("web.user_added" if new else "web.user_changed", agent=agent))


@user.command("remove")
@click.argument("agent")
def user_remove(agent: str) -> None:
    """Remove AGENT's password (a session open now runs on until it ends)."""
    catalog = _catalog()
    try:
        removed = _passwords().remove(agent)
    except TranslatableError as error:
        _fail(error, catalog.language)
    if not removed:
        click.echo(catalog.text("web.user_unknown", agent=agent), err=True)
        sys.exit(1)
    click.echo(catalog.text("web.user_removed", agent=agent))


@user.command("list")
def user_list() -> None:
    """The agents who have a password (never the passwords)."""
    try:
        users = _passwords().users()
    except TranslatableError as error:
        _fail(error, _catalog().language)
    for entry in users:
        click.echo(f"{entry.agent_id:<16} {entry.staff_number:<10} {entry.name}")
