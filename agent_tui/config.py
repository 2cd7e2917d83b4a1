"""Configuration: TOML at the platform's config dir, overridden by environment, then by flags.

Unknown or ill-typed keys are refused with the key, the file and its line, so a team lead who
mistypes ``langauge`` is told exactly where, instead of the setting being silently ignored.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, MutableMapping
from pathlib import Path
from typing import Annotated, Literal

import msgspec
import tomli

from agent_tui.disk import is_disk_full
from agent_tui.domain.localized import in_language
from agent_tui.i18n import SUPPORTED, TranslatableError
from agent_tui.keymap import ACTIONS_BY_ID, is_valid_key_list
from agent_tui.private_files import replace_private
from agent_tui.toml_lines import Lines
from agent_tui.toml_text import TooDeep, parse, read_text

APP_NAME = "agent-tui"
ENV_CONFIG = "AGENT_TUI_CONFIG"
ENV_STORE = "AGENT_TUI_STORE"
ENV_LANGUAGE = "AGENT_TUI_LANGUAGE"
ENV_AGENT = "AGENT_TUI_AGENT"
ENV_HUB_URL = "AGENT_TUI_HUB_URL"
ENV_HUB_TOKEN = "AGENT_TUI_HUB_TOKEN"


class ConfigError(TranslatableError):
    pass


# msgspec rather than pydantic: the same strict validation (types, unknown keys refused, a path
# to the bad value) at a twentieth of the start-up cost: 0.6 MB and 3 ms instead of 10 MB and
# 45 ms, on a session budget of 60 MB and a start within 1.2x of a bare Textual app.
class _Section(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    pass


class AgentSection(_Section):
    id: str = ""
    name: str = ""
    staff_number: str = ""

    @property
    def is_signed_in(self) -> bool:
        return bool(self.id and self.name and self.staff_number)


class UISection(_Section):
    language: Literal["", "zh-CN", "en"] = ""  # empty: follow the terminal's locale
    mouse: bool = True  # turn off over SSH: mouse tracking reports every movement upstream
    cursor_blink: bool = True  # off over SSH: each blink is a screen update sent down the line
    # A slow line (always on over SSH): only the cells that changed are sent, no mouse, no
    # cursor blink, no animation.
    low_bandwidth: bool = False
    theme: str = "textual-dark"


class StoreSection(_Section):
    path: str = ""  # empty: store.db in the platform's data dir


class ScriptsSection(_Section):
    path: str = ""  # empty: the library shipped with agent-tui


class BankSection(_Section):
    name: str = "XX银行"
    name_en: str = "XX Bank"

    def display_name(self, language: str) -> str:
        return in_language(language, self.name, self.name_en)


class CallSection(_Section):
    # DOMAIN.md: average handling time within 5 minutes; the call timer shows against it.
    aht_minutes: Annotated[float, msgspec.Meta(gt=0, le=240)] = 5


class HubSection(_Section):
    # Empty: no hub; the workstation works on its local store alone (a demo, a training room).
    url: str = ""
    token: str = ""  # the bearer token `agent-tui hub token create` printed for this agent
    # SYNC.md: every 5-15 s, jittered so a thousand workstations do not pull in step.
    interval_seconds: Annotated[float, msgspec.Meta(ge=1, le=3600)] = 10

    @property
    def configured(self) -> bool:
        return bool(self.url and self.token)


class SshSection(_Section):
    # An SSH session left without a key this long locks: customer data hidden, the call kept.
    idle_lock_minutes: Annotated[float, msgspec.Meta(gt=0, le=480)] = 10


# dict=True: besides its fields, a Config remembers ``source``, the file it came from (for
# messages and for remembering the agent's sign-in), which no TOML key can set.
class Config(_Section, dict=True):
    agent: AgentSection = msgspec.field(default_factory=AgentSection)
    ui: UISection = msgspec.field(default_factory=UISection)
    store: StoreSection = msgspec.field(default_factory=StoreSection)
    bank: BankSection = msgspec.field(default_factory=BankSection)
    scripts: ScriptsSection = msgspec.field(default_factory=ScriptsSection)
    call: CallSection = msgspec.field(default_factory=CallSection)
    hub: HubSection = msgspec.field(default_factory=HubSection)
    ssh: SshSection = msgspec.field(default_factory=SshSection)
    keymap: dict[str, str] = msgspec.field(default_factory=dict)

    def __post_init__(self) -> None:
        for action_id, keys in self.keymap.items():
            if action_id not in ACTIONS_BY_ID:
                raise ValueError(f"unknown action id {action_id!r} in keymap")
            if not is_valid_key_list(keys):
                raise ValueError(f"not a list of keys for keymap.{action_id}: {keys!r}")

    @property
    def source(self) -> Path | None:
        return self.__dict__.get("source")

    @source.setter
    def source(self, path: Path | None) -> None:
        self.__dict__["source"] = path

    def store_path(self) -> Path:
        return Path(self.store.path).expanduser() if self.store.path else default_store_path()

    def scripts_path(self) -> Path:
        if self.scripts.path:
            return Path(self.scripts.path).expanduser()
        from scripts_library import LIBRARY_DIR

        return LIBRARY_DIR


# platformdirs is imported when a default path is asked for, not at start: a configured store
# and config file (the usual case on a managed workstation) never need it.
def default_config_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def default_store_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "store.db"


def config_path(environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    explicit = environ.get(ENV_CONFIG)
    return Path(explicit).expanduser() if explicit else default_config_path()


_UNKNOWN_FIELD = re.compile(r"Object contains unknown field `(?P<field>[^`]+)`")
_AT_PATH = re.compile(r" - at `\$(?P<path>[^`]*)`$")


def _error_location(error: msgspec.ValidationError) -> tuple[tuple[str, ...], str, bool]:
    """(the key's path, the reason, whether the key is unknown) from msgspec's message."""
    message = str(error)
    at = _AT_PATH.search(message)
    path = tuple(part for part in re.split(r"[.\[\]]", at.group("path")) if part) if at else ()
    reason = message[: at.start()] if at else message
    unknown = _UNKNOWN_FIELD.match(reason)
    if unknown:
        return (*path, unknown.group("field")), reason, True
    if path and path[0] == "keymap" or reason.startswith(("unknown action", "not a list of keys")):
        path = ("keymap",) if not path else path
    return path, reason, False


def _validation_error(error: msgspec.ValidationError, path: Path, text: str) -> ConfigError:
    location, reason, unknown = _error_location(error)
    dotted = ".".join(location)
    line = Lines(text).setting(location) if location else None
    where = f"{path}:{line}" if line else str(path)
    if unknown:
        return ConfigError("config.unknown_key", key=dotted, where=where)
    return ConfigError("config.bad_value", key=dotted, where=where, reason=reason)


def _read(path: Path) -> tuple[str, dict[str, object]]:
    """The file's text and its TOML, or a ConfigError naming the file (and line) and what to do."""
    try:
        text = read_text(path)
        return text, parse(text)
    except UnicodeDecodeError:
        raise ConfigError("config.not_text", where=str(path)) from None
    except tomli.TOMLDecodeError as error:
        raise ConfigError("config.syntax", where=str(path), reason=str(error)) from None
    except TooDeep as error:
        raise ConfigError("config.too_deep", where=f"{path}:{error.line}") from None
    except OSError as error:
        raise ConfigError("config.unreadable", where=str(path), reason=error.strerror) from None


def _validate(data: Mapping[str, object]) -> Config:
    return msgspec.convert(data, Config, strict=True)


def load_config(
    path: Path | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Mapping[str, object]] | None = None,
) -> Config:
    """File, then environment, then ``overrides`` (from flags), validated as one."""
    environ = os.environ if environ is None else environ
    path = path or config_path(environ)
    text = ""
    data: dict[str, object] = {}
    if path.exists():
        text, data = _read(path)
    try:
        config = _validate(data)
    except msgspec.ValidationError as error:
        raise _validation_error(error, path, text) from None
    layered = msgspec.to_builtins(config)
    for section, key, variable in (
        ("store", "path", ENV_STORE),
        ("ui", "language", ENV_LANGUAGE),
        ("agent", "id", ENV_AGENT),
        ("hub", "url", ENV_HUB_URL),
        ("hub", "token", ENV_HUB_TOKEN),
    ):
        if environ.get(variable):
            layered[section][key] = environ[variable]
    for section, values in (overrides or {}).items():
        layered[section].update({key: value for key, value in values.items() if value is not None})
    try:
        merged = _validate(layered)
    except msgspec.ValidationError as error:
        location, reason, _unknown = _error_location(error)
        raise ConfigError(
            "config.bad_override", key=".".join(location), reason=reason,
            languages=", ".join(SUPPORTED),
        ) from None
    merged.source = path
    return merged


def remember_agent(config: Config, agent_id: str, name: str, staff_number: str) -> Config:
    """Write the sign-in to the config file (the first run asks once, then remembers).

    A file that cannot be read, or a write that fails (a full disk above all), is a ConfigError
    naming the file; the file in place is then exactly as it was."""
    path = config.source or config_path()
    edit_config(path, {"agent": {"id": agent_id, "name": name, "staff_number": staff_number}})
    config.agent = AgentSection(id=agent_id, name=name, staff_number=staff_number)
    return config


def edit_config(path: Path, changes: Mapping[str, Mapping[str, object]]) -> None:
    """Set ``section.key`` to each value of ``changes`` in the config file at ``path``, leaving
    everything else as the user wrote it: comments, order, spelling (dotted, inline) and unrelated
    keys survive, because tomlkit edits the document rather than re-writing its data.

    The file is read (and refused, with its line) as ``load_config`` reads it; a file that is not
    there is created. A failed write is a ConfigError naming the file, which is then unchanged."""
    # tomlkit only here: editing the config is a first-run event, not a start-up cost.
    import tomlkit

    text = _read(path)[0] if path.exists() else ""
    document = tomlkit.parse(text)
    for section, values in changes.items():
        table = document.get(section)
        if not isinstance(table, MutableMapping):
            table = tomlkit.table()
            document[section] = table
        for key, value in values.items():
            table[key] = value
    try:
        _replace(path, tomlkit.dumps(document))
    except OSError as error:
        if is_disk_full(error):
            raise ConfigError("config.disk_full", where=str(path)) from None
        raise ConfigError("config.not_saved", where=str(path),
                          reason=error.strerror or str(error)) from None


def _replace(path: Path, text: str) -> None:
    """Atomically, privately (private_files.replace_private): a crash or a full disk never
    leaves half a config behind, and two sign-ins at once cannot write into each other's file."""
    replace_private(path, text.encode("utf-8"))
