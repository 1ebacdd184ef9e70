"""Where claimcheck keeps its files.

``CLAIMCHECK_HOME`` (like llm's ``LLM_USER_PATH``) moves both the data and the config directory to
one folder: tests point it at a temporary directory so nothing touches the user's real state.
Otherwise the platform's per-user directories are used (platformdirs).
"""

from __future__ import annotations

import os
from pathlib import Path


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
