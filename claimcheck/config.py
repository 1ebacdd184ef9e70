"""Organisation settings: a TOML file in the user's config directory, overridden by CLAIMCHECK_*.

Precedence: command-line flag > ``CLAIMCHECK_<KEY>`` environment variable > config file > default.
The :class:`Settings` object is built once per command and passed in; nothing reads it globally.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from claimcheck.core.quantities.model import DEFAULT_TOLERANCE
from claimcheck.errors import ConfigError
from claimcheck.paths import config_path


class Settings(BaseModel):
    """Every configurable key, with its default and meaning."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    org_name: str = Field("Example Fact Desk", description="Organisation publishing the checks.")
    org_url: str = Field(
        "https://factcheck.example.org",
        description="Base https URL of the organisation; claim pages live under it.",
    )
    methodology: str = Field(
        "Each claim was researched by one member of the desk, who gathered evidence from primary "
        "sources and proposed a rating; a second editor reviewed the evidence and approved it.",
        description="Methodology text closing every report.",
    )
    rating_scale: str = Field("default", description="default, politifact or google.")
    tolerance: float = Field(
        DEFAULT_TOLERANCE,
        ge=0,
        le=1,
        description="Relative tolerance for 'about' claims (0.1 = ±10 %).",
    )
    language: str = Field("en", description="BCP 47 language of the reports (inLanguage).")
    database_url: str | None = Field(
        None, description="Database URL or SQLite path used when --db is not given."
    )

    @field_validator("rating_scale")
    @classmethod
    def _known_scale(cls, value: str) -> str:
        from claimcheck.core.ratings import SCALES

        if value not in SCALES:
            raise ValueError(f"unknown scale {value!r} (choose from {', '.join(SCALES)})")
        return value

    @field_validator("org_url")
    @classmethod
    def _https(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("must be an absolute http(s) URL")
        return value.rstrip("/")


KEYS = tuple(Settings.model_fields)


def _read_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    if not path.is_file():  # a FIFO would hang every command, a folder fail oddly
        if str(path) == os.devnull:
            return {}  # CLAIMCHECK_CONFIG=/dev/null: no config file
        raise ConfigError(f"{path}: the config file is not a regular file")
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config file: {exc}") from exc


def _first_error(exc: ValidationError, origin: str) -> ConfigError:
    err = exc.errors()[0]
    field = ".".join(str(p) for p in err["loc"]) or "config"
    return ConfigError(f"{origin}: {field}: {err['msg']}")


def load_settings(path: Path | None = None) -> Settings:
    """File values, then CLAIMCHECK_* variables on top."""
    path = path or config_path()
    values = _read_file(path)
    unknown = sorted(set(values) - set(KEYS))
    if unknown:
        raise ConfigError(f"{path}: unknown key {unknown[0]!r} (known: {', '.join(KEYS)})")
    try:
        settings = Settings(**values)
    except ValidationError as exc:
        raise _first_error(exc, str(path)) from None
    overrides: dict[str, Any] = {}
    for key in KEYS:
        env = os.environ.get(f"CLAIMCHECK_{key.upper()}")
        if env is not None:
            overrides[key] = env
    if overrides:
        try:
            settings = Settings(**{**settings.model_dump(), **overrides})
        except ValidationError as exc:
            raise _first_error(exc, "environment (CLAIMCHECK_*)") from None
    return settings


def set_value(key: str, value: str, path: Path | None = None) -> Settings:
    """Validate and write one key to the config file; returns the file's settings."""
    import tomli_w

    path = path or config_path()
    if key not in KEYS:
        raise ConfigError(f"unknown key {key!r} (known: {', '.join(KEYS)})")
    values = _read_file(path)
    values[key] = _storable(key, value)
    try:
        settings = Settings(**values)
    except ValidationError as exc:
        raise _first_error(exc, key) from None
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {k: v for k, v in settings.model_dump().items() if k in values and v is not None}
    _write_file(path, tomli_w.dumps(data))
    return settings


def _storable(key: str, value: str) -> str:
    """``value`` if a TOML file can hold it: UTF-8 text without NUL (a lone surrogate, from
    bytes that were not UTF-8, would fail only while the file is being written)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ConfigError(
            f"{key}: not valid UTF-8 text (character {exc.start + 1} is a lone surrogate, "
            "from bytes that were not UTF-8); nothing was changed"
        ) from None
    if "\x00" in value:
        raise ConfigError(f"{key}: contains a NUL character; nothing was changed")
    return value


def _write_file(path: Path, text: str) -> None:
    """Replace the config file atomically with ``text``, checked first: it must parse back to
    valid settings, so a failed write never leaves an empty or half file (an empty one would
    silently switch a team back to the local SQLite database). An existing file keeps its
    mode; a new one is 0644 under the usual umask, 0600 when it holds a database password."""
    from claimcheck.files import default_mode, write_atomic

    data = text.encode("utf-8")
    try:
        values = tomllib.loads(text)
        Settings(**values)
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise ConfigError(
            f"{path}: the new settings do not read back ({exc}); nothing changed"
        ) from None
    url = str(values.get("database_url") or "")
    secret = "@" in url and ":" in url.split("@", 1)[0].split("://", 1)[-1]
    write_atomic(path, data, mode=default_mode() & 0o600 if secret else None)
