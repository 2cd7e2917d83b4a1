"""``agent-tui ssh-session --agent ID``, the forced command of an agent's key, kept light: it
reaches the hand-over to the account's session server without importing click, the App,
Textual or httpx (``agent_tui.entry`` comes here before ``agent_tui.cli`` is imported), because
the process that waits for each session is paid once per session.

Every check comes first, whoever runs the session: the agent is the key's (never the client's
``--agent``, command or environment), a command of the client's is refused, a terminal is
required, and the environment is cleaned to the agent's own folders. Then the session server
(``agent_tui.ssh_server``) runs the workstation if it answers; if there is none, or it refuses,
the workstation runs here, as it always did."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from agent_tui.i18n import language_from_environment
from agent_tui.ssh_access import (
    SshAccessError,
    agent_home,
    check_agent_id,
    check_session,
    check_session_key,
    session_environment,
)
from agent_tui.ssh_server import wire

APP_NAME = "agent-tui"  # agent_tui.config's, without importing the config's dependencies


def agents_root() -> Path:
    """Where the agents' own folders are: ``agents`` in this account's data dir."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "agents"


def agent_from_arguments(arguments: list[str]) -> str | None:
    """ID of ``--agent ID`` (or ``--agent=ID``), the only arguments the key's line gives; None
    for anything else (``--help``...), which click answers."""
    if len(arguments) == 2 and arguments[0] == "--agent":
        return arguments[1]
    if len(arguments) == 1 and arguments[0].startswith("--agent="):
        return arguments[0].removeprefix("--agent=")
    return None


def prepared_session(agent_id: str) -> dict[str, str]:
    """The checks, then the environment the agent's session runs in; a refusal is printed in
    the client's language and exits with status 2, nothing run."""
    try:
        check_agent_id(agent_id)
        check_session(os.environ, sys.stdin.isatty() and sys.stdout.isatty())
        check_session_key(os.environ, agent_id)
        home = agent_home(agents_root(), agent_id)
    except SshAccessError as error:
        from agent_tui.cli_config import _fail

        _fail(error, language_from_environment())
    return session_environment(os.environ, home)


def forced_session(agent_id: str) -> None:
    """The session of the key's agent: in the session server if it takes it, else here."""
    environment = prepared_session(agent_id)
    socket_path = wire.socket_path(os.environ)
    environment.pop(wire.SOCKET_VARIABLE, None)
    from agent_tui.ssh_server.handover import hand_over, wait_small

    connection = hand_over(socket_path, agent_id, environment)
    if connection is not None:
        wait_small(connection)  # never returns
    os.environ.clear()
    os.environ.update(environment)
    sys.exit(run_agent_session(agent_id, environment))


def run_agent_session(agent_id: str, environment: Mapping[str, str]) -> int:
    """The workstation of the key's agent, in the environment ``prepared_session`` made (set in
    ``os.environ`` already): here, or in the session server's child. Over SSH the low-bandwidth
    profile is on (no mouse tracking, no cursor blink, no animation), and the idle lock."""
    from agent_tui.cli_config import _fail, _resolve_language
    from agent_tui.cli_start import start_workstation
    from agent_tui.config import ConfigError, load_config

    try:
        config = load_config(overrides={"agent": {"id": agent_id},
                                        "ui": {"mouse": False, "cursor_blink": False,
                                               "low_bandwidth": True}})
    except ConfigError as error:
        _fail(error, language_from_environment(environment))
    start_workstation(config, _resolve_language(config), mouse=False,
                      idle_lock_minutes=config.ssh.idle_lock_minutes)
    return 0
