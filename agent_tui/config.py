"""Configuration: TOML at the platform's config dir, overridden by environment, then by flags.

Unknown or ill-typed keys are refused with the key, the file and its line, so a team lead who
mistypes ``langauge`` is told exactly where, instead of the setting being silently ignored.
"""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import platformdirs
import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from agent_tui.i18n import SUPPORTED, TranslatableError
from agent_tui.keymap import ACTIONS_BY_ID, is_valid_key_list

APP_NAME = "agent-tui"
ENV_CONFIG = "AGENT_TUI_CONFIG"
ENV_STORE = "AGENT_TUI_STORE"
ENV_LANGUAGE = "AGENT_TUI_LANGUAGE"
ENV_AGENT = "AGENT_TUI_AGENT"


class ConfigError(TranslatableError):
    pass


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


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
    theme: str = "textual-dark"


class StoreSection(_Section):
    path: str = ""  # empty: store.db in the platform's data dir


class BankSection(_Section):
    name: str = "XX银行"
    name_en: str = "XX Bank"


class Config(_Section):
    agent: AgentSection = Field(default_factory=AgentSection)
    ui: UISection = Field(default_factory=UISection)
    store: StoreSection = Field(default_factory=StoreSection)
    bank: BankSection = Field(default_factory=BankSection)
    keymap: dict[str, str] = Field(default_factory=dict)

    @field_validator("keymap")
    @classmethod
    def _known_actions(cls, keymap: dict[str, str]) -> dict[str, str]:
        for action_id, keys in keymap.items():
            if action_id not in ACTIONS_BY_ID:
                raise ValueError(f"unknown action id {action_id!r}")
            if not is_valid_key_list(keys):
                raise ValueError(f"not a list of keys: {keys!r}")
        return keymap

    # Where this config came from, for messages and for remembering the agent's sign-in.
    source: Path | None = Field(default=None, exclude=True)

    def store_path(self) -> Path:
        return Path(self.store.path).expanduser() if self.store.path else default_store_path()


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def default_store_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "store.db"


def config_path(environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    explicit = environ.get(ENV_CONFIG)
    return Path(explicit).expanduser() if explicit else default_config_path()


_TABLE_HEADER = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]")


def _line_of(text: str, location: tuple[object, ...]) -> int | None:
    """The line of ``section.key`` in the TOML text, for a message a person can act on.

    Finds ``[section]`` then ``key =`` under it; a whole unknown section by its header; and, as a
    fallback, dotted (``ui.key =``) and inline-table (``ui = { key = … }``) spellings.
    """
    parts = [str(part) for part in location]
    lines = text.splitlines()
    section, key = (parts[0], parts[-1]) if len(parts) > 1 else (None, parts[0])
    current = None
    for number, line in enumerate(lines, start=1):
        header = _TABLE_HEADER.match(line)
        if header:
            current = header.group(1).strip()
            if section is None and current == key:
                return number  # an unknown section: its header is the line
            continue
        if current == section and re.match(rf"^\s*\"?{re.escape(key)}\"?\s*=", line):
            return number
    dotted = re.escape(".".join(parts))
    for number, line in enumerate(lines, start=1):
        if re.match(rf"^\s*{dotted}\s*=", line) or (
            section and re.match(rf"^\s*{re.escape(section)}\s*=.*\b{re.escape(key)}\s*=", line)
        ):
            return number
    return None


def _validation_error(error: ValidationError, path: Path, text: str) -> ConfigError:
    first = error.errors()[0]
    location = tuple(part for part in first["loc"] if not isinstance(part, int))
    dotted = ".".join(str(part) for part in location)
    line = _line_of(text, location) if location else None
    where = f"{path}:{line}" if line else str(path)
    if first["type"] == "extra_forbidden":
        return ConfigError("config.unknown_key", key=dotted, where=where)
    return ConfigError("config.bad_value", key=dotted, where=where, reason=first["msg"])


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
        try:
            text = path.read_text(encoding="utf-8")
            data = tomllib.loads(text)
        except UnicodeDecodeError:
            raise ConfigError("config.not_text", where=str(path)) from None
        except tomllib.TOMLDecodeError as error:
            raise ConfigError("config.syntax", where=str(path), reason=str(error)) from None
        except OSError as error:
            raise ConfigError("config.unreadable", where=str(path), reason=error.strerror) from None
    try:
        config = Config.model_validate(data)
    except ValidationError as error:
        raise _validation_error(error, path, text) from None
    layered = config.model_dump()
    for section, key, variable in (
        ("store", "path", ENV_STORE),
        ("ui", "language", ENV_LANGUAGE),
        ("agent", "id", ENV_AGENT),
    ):
        if environ.get(variable):
            layered[section][key] = environ[variable]
    for section, values in (overrides or {}).items():
        layered[section].update({key: value for key, value in values.items() if value is not None})
    try:
        merged = Config.model_validate(layered)
    except ValidationError as error:
        first = error.errors()[0]
        dotted = ".".join(str(part) for part in first["loc"])
        raise ConfigError(
            "config.bad_override", key=dotted, reason=first["msg"], languages=", ".join(SUPPORTED)
        ) from None
    merged.source = path
    return merged


def remember_agent(config: Config, agent_id: str, name: str, staff_number: str) -> Config:
    """Write the sign-in to the config file (the first run asks once, then remembers)."""
    path = config.source or config_path()
    existing: dict[str, object] = {}
    if path.exists():
        existing = tomllib.loads(path.read_text(encoding="utf-8"))
    existing["agent"] = {"id": agent_id, "name": name, "staff_number": staff_number}
    path.parent.mkdir(parents=True, exist_ok=True)
    # A private temporary file, then an atomic rename: a crash never leaves half a config
    # behind, and two sign-ins at once cannot write into each other's file.
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, prefix=".config-", suffix=".tmp", delete=False
    ) as temporary:
        temporary.write(tomli_w.dumps(existing))
    os.replace(temporary.name, path)
    config.agent = AgentSection(id=agent_id, name=name, staff_number=staff_number)
    return config
