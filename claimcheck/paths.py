"""Where claimcheck keeps its files.

``CLAIMCHECK_HOME`` (like llm's ``LLM_USER_PATH``) moves both the data and the config directory to
one folder: tests point it at a temporary directory so nothing touches the user's real state.
Otherwise the platform's per-user directories are used (platformdirs).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def _home() -> Path | None:
    value = os.environ.get("CLAIMCHECK_HOME")
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    """The directory of the default SQLite database."""
    home = _home()
    if home is not None:
        return home
    import platformdirs

    return Path(platformdirs.user_data_dir("claimcheck", appauthor=False))


def config_path() -> Path:
    """The TOML configuration file (``CLAIMCHECK_CONFIG`` names another one)."""
    explicit = os.environ.get("CLAIMCHECK_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    home = _home()
    if home is not None:
        return home / "config.toml"
    import platformdirs

    return Path(platformdirs.user_config_dir("claimcheck", appauthor=False)) / "config.toml"


def default_database_path() -> Path:
    return data_dir() / "claimcheck.db"


def read_config_file(path: Path) -> dict[str, Any]:
    """The config file's values as TOML gives them (not yet validated); {} when there is none."""
    from claimcheck.errors import ConfigError

    if not path.exists():
        return {}
    if not path.is_file():  # a FIFO would hang every command, a folder fail oddly
        if str(path) == os.devnull:
            return {}  # CLAIMCHECK_CONFIG=/dev/null: no config file
        raise ConfigError(f"{path}: the config file is not a regular file")
    import tomllib

    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config file: {exc}") from exc


def raw_setting(key: str) -> object | None:
    """One setting as given (``CLAIMCHECK_<KEY>`` over the config file), not validated: for a
    command that needs one value and would rather not build the whole
    :class:`claimcheck.config.Settings` (pydantic). None when neither gives it."""
    env = os.environ.get(f"CLAIMCHECK_{key.upper()}")
    if env is not None:
        return env
    return read_config_file(config_path()).get(key)
