"""Each signed-in agent's workstation: its own config file, written at each start from the
server's config with the agent's identity (and hub token, when they signed in with one) put in,
and the command textual-serve runs for it.

The agent comes from the sign-in, never from the browser: the config names them, the command
line repeats it (flags beat the environment and the file), and the server's own
``AGENT_TUI_*`` identity variables are taken out of the workstation's environment.
"""

from __future__ import annotations

import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from agent_tui.config import Config, edit_config
from agent_tui.private_files import replace_private
from agent_tui.web.passwords import check_agent_id
from agent_tui.web.places import private_dir

# Variables that would override the agent's config in the workstation's process.
_IDENTITY_VARIABLES = ("AGENT_TUI_CONFIG", "AGENT_TUI_AGENT", "AGENT_TUI_STORE",
                       "AGENT_TUI_HUB_URL", "AGENT_TUI_HUB_TOKEN")


@dataclass(frozen=True)
class Workstation:
    """What a session's workstation runs as."""
    agent_id: str
    name: str
    staff_number: str
    language: str           # the sign-in page's, used when the server's config sets none
    hub_token: str = ""     # the agent's own, when they signed in with it


class Workstations:
    def __init__(self, config: Config, folder: Path, shared_store: Path | None) -> None:
        self.config = config          # the server's: theme, keymap, scripts, hub address ...
        self.folder = folder          # agents/<id>/ below it, one folder each, 0700
        self.shared_store = shared_store  # --store: every agent on one store (a demo)

    def agent_folder(self, agent_id: str) -> Path:
        return private_dir(self.folder / check_agent_id(agent_id))

    def store_path(self, agent_id: str) -> Path:
        return self.shared_store or self.agent_folder(agent_id) / "store.db"

    def write_config(self, station: Workstation) -> Path:
        """The agent's config: the server's file as its operator wrote it, with the agent's
        identity, store, language and hub put in (tomlkit keeps the rest as it was)."""
        path = self.agent_folder(station.agent_id) / "config.toml"
        source = self.config.source
        text = source.read_bytes() if source is not None and source.is_file() else b""
        replace_private(path, text)
        hub = {"url": self.config.hub.url}
        if station.hub_token:
            hub["token"] = station.hub_token
        edit_config(path, {
            "agent": {"id": station.agent_id, "name": station.name,
                      "staff_number": station.staff_number},
            "store": {"path": str(self.store_path(station.agent_id))},
            "ui": {"language": self.config.ui.language or station.language},
            "hub": hub,
        })
        return path

    def command(self, station: Workstation) -> str:
        """The shell command textual-serve starts for this session (it runs it through a
        shell): every part quoted, the identity given as flags."""
        config = self.write_config(station)
        unset = [part for name in _IDENTITY_VARIABLES for part in ("-u", name)]
        return shlex.join(["env", *unset, sys.executable, "-m", "agent_tui", "run",
                           "--config", str(config), "--agent", station.agent_id,
                           "--store", str(self.store_path(station.agent_id))])
