"""The ``agent-tui`` program. The forced command of an agent's SSH key (``ssh-session``) goes
straight to ``agent_tui.ssh_forced``, which hands the session to the account's session server
without loading the command line's modules; everything else is ``agent_tui.cli``."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:2] == ["ssh-session"]:
        from agent_tui.ssh_forced import agent_from_arguments, forced_session

        agent_id = agent_from_arguments(sys.argv[2:])
        if agent_id is not None:
            forced_session(agent_id)
    from agent_tui.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
