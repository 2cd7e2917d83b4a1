"""The app layer: the Textual App (``AgentApp``) and the controllers it composes.

Above the screens (it imports them), below the command line (``agent_tui.cli`` starts it). Nothing
below imports it: screens see the App through ``screens.widgets.host.AgentHost``."""

from agent_tui.app.agent_app import AgentApp

__all__ = ["AgentApp"]
