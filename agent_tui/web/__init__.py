"""The browser route: ``agent-tui web`` serves the workstation through textual-serve with a
sign-in of its own in front (textual-serve has none). This package is the server side and never
imports textual or rich: each signed-in session's workstation is a process of its own
(``agent-tui run`` under textual-serve's web driver), started for the agent who signed in.

``passwords`` (the per-agent passwords), ``cookies`` (the signed session cookie and its
secret), ``attempts`` (failed sign-ins limited), ``pages`` (the sign-in page and the refusals, in
plain translated HTML), ``workstations`` (each agent's workstation config and command),
``server`` (the aiohttp app: the sign-in in front of every page and the websocket).
"""
