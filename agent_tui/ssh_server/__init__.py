"""The pre-forked session server of one Unix account (docs/deploy-ssh.md, "Sizing").

``agent-tui ssh session-server`` imports the workstation once, freezes it and forks a child per
SSH session; the forced command ``agent-tui ssh-session`` makes every check it makes alone, then
hands the agent's id, the cleaned environment and its terminal to the server and waits for the
session's exit status in a process of a few hundred KB. No Textual here (the core): the command
line layer gives the server the function that runs a session.

- ``wire``: the socket's place, the request's bytes, the terminal's descriptors, whose peer.
- ``handover``: the forced command's side (give up the terminal, send it, wait small).
- ``server``: listen, accept only our own uid, fork, reap, write each exit status back.
- ``child``: in the fork, take the terminal as this session's and run the workstation.
"""
