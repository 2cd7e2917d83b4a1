"""The scripts library shipped with agent-tui: TOML files trainers edit (see README.md here)."""

from pathlib import Path

LIBRARY_DIR = Path(__file__).parent
