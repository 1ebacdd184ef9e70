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
    values[key] = value
    try:
        settings = Settings(**values)
    except ValidationError as exc:
        raise _first_error(exc, key) from None
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {k: v for k, v in settings.model_dump().items() if k in values and v is not None}
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return settings
