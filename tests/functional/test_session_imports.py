"""What a workstation session imports before its first screen: every module is memory in every
SSH session (docs/deploy-ssh.md, "Sizing"), so what a session does not use at start-up is
imported when it is first used. A fresh interpreter imports what ``agent-tui ssh-session`` does
up to the search screen and the 360, and reports what it holds."""

from __future__ import annotations

import json
import subprocess
import sys

# Never in a session: the hub's server side, the browser route.
NOT_AT_START = ("fastapi", "starlette", "sqlalchemy", "uvicorn",
                "aiohttp", "textual_serve", "agent_tui.hub.api", "agent_tui.web.server")

SESSION = """
import json, sys
import agent_tui.cli, agent_tui.ssh_cli, agent_tui.app, agent_tui.sync.hub_client
import screens.search, screens.customer_360
print(json.dumps(sorted(sys.modules)))
"""


def _started_modules() -> set[str]:
    output = subprocess.run([sys.executable, "-c", SESSION], capture_output=True, text=True,
                            check=True, timeout=120).stdout
    return set(json.loads(output))


def test_a_session_starts_without_what_it_does_not_use():
    modules = _started_modules()
    assert "agent_tui.app.agent_app" in modules  # the check sees the session's imports
    assert sorted(name for name in NOT_AT_START if name in modules) == []
