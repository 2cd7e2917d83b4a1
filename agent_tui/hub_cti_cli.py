"""``agent-tui hub cti ring|answered|ended``: a call event sent to the hub as the telephony system
sends it (with a telephony token), for the demo and the tests: the agent's workstation pops the
caller's 360 within the second."""

from __future__ import annotations

import os
import sys

import click

from agent_tui.hub_cli import DEFAULT_PORT, _catalog

ENV_HUB = "AGENT_TUI_HUB_URL"
ENV_TOKEN = "AGENT_TUI_TELEPHONY_TOKEN"


def _options(command):
    for option in reversed((
        click.option("--agent", required=True, help="The agent whose phone rings (e.g. A1024)."),
        click.option("--from", "caller", default="",
                     help="The caller's number (empty: withheld)."),
        click.option("--to", "dialled", default="", help="The number the caller dialled."),
        click.option("--call", "call_id", default="",
                     help="The telephony system's id of the call (answered and ended apply "
                     "to the ringing call with this id; empty: the agent's current one)."),
        click.option("--event-id", default="", help="This event's id (default: a new one); "
                     "sent again, the hub answers that it had it already."),
        click.option("--hub", "hub_url", default=None,
                     help=f"The hub (default: ${ENV_HUB}, or http://127.0.0.1:{DEFAULT_PORT})."),
        click.option("--token", default=None, help=f"A telephony token (default: ${ENV_TOKEN}; "
                     "`agent-tui hub token create --role telephony`)."),
    )):
        command = option(command)
    return command


@click.group()
def cti() -> None:
    """Telephony call events: what the telephony system sends the hub."""


def _send(kind: str, agent: str, caller: str, dialled: str, call_id: str, event_id: str,
          hub_url: str | None, token: str | None) -> None:
    import msgspec

    from agent_tui.domain.ids import new_id
    from agent_tui.sync.hub_client import HubClient, HubRefused, HubUnreachable
    from agent_tui.sync.protocol import CtiEventIn

    catalog = _catalog()
    token = token or os.environ.get(ENV_TOKEN, "")
    if not token:
        click.echo(catalog.text("cti_cli.no_token", env=ENV_TOKEN), err=True)
        sys.exit(2)
    try:  # checked here as the hub checks it: a mistake is told before anything is sent
        event = msgspec.convert({
            "event_id": event_id or new_id(), "kind": kind, "agent_id": agent,
            "caller": caller.strip(), "dialled": dialled.strip(), "call_id": call_id},
            CtiEventIn)
    except msgspec.ValidationError as error:
        click.echo(catalog.text("cti_cli.bad_input", detail=str(error)), err=True)
        sys.exit(2)
    url = hub_url or os.environ.get(ENV_HUB) or f"http://127.0.0.1:{DEFAULT_PORT}"
    client = HubClient(url, token)
    try:
        answer = client.post_cti_event(event)
    except HubRefused as refused:
        key = f"cti_cli.refused.{refused.code}"
        message = catalog.text(key) if key in catalog.messages else catalog.text(
            "cti_cli.refused.other", status=refused.status, code=refused.code)
        click.echo(message, err=True)
        sys.exit(1)
    except HubUnreachable as error:
        click.echo(catalog.text("cti_cli.unreachable", url=url, detail=str(error)), err=True)
        sys.exit(1)
    finally:
        client.close()
    click.echo(catalog.text(f"cti_cli.{answer.status}", kind=catalog.text(f"cti_cli.kind.{kind}"),
                            agent=agent, id=answer.event_id))


for _kind, _name in (("ringing", "ring"), ("answered", "answered"), ("ended", "ended")):
    def _command(kind: str = _kind, **options: str) -> None:
        _send(kind, **options)

    _command.__doc__ = {"ring": "The agent's phone rings: their workstation shows the caller.",
                        "answered": "The agent picked up: the call's timer starts.",
                        "ended": "The line ended: the call goes to wrap-up."}[_name]
    cti.command(_name)(_options(_command))
