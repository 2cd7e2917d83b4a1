"""agent-tui: a keyboard-driven workstation for a bank's remote-service centre."""

__version__ = "0.1.0"
