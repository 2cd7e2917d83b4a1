"""Where the browser route keeps its files: one folder in the platform's data dir, entered by its
owner only (0700), holding the password file, the cookie secret and each agent's workstation
config (each 0600, written through ``private_files.replace_private``)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

APP_NAME = "agent-tui"


def web_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "web"


def private_dir(path: Path) -> Path:
    """``path`` as a folder only its owner can enter (made if missing, tightened if looser)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        os.chmod(path, mode & 0o700)
    return path
