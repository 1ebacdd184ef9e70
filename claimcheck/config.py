"""Organisation settings: a TOML file in the user's config directory, overridden by CLAIMCHECK_*.

Precedence: command-line flag > ``CLAIMCHECK_<KEY>`` environment variable > config file > default.
The :class:`Settings` object is built once per command and passed in; nothing reads it globally.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from claimcheck.core.quantities.model import DEFAULT_TOLERANCE
from claimcheck.errors import ConfigError, plain_message
from claimcheck.paths import config_path, read_config_file

if TYPE_CHECKING:
    from claimcheck.core.ratings import RatingScale


EXAMPLE_DOMAINS = ("example.org", "example.com", "example.net", "example")
EXAMPLE_NAME = "Example Fact Desk"


def is_example_url(url: str) -> bool:
    """True for URLs on the reserved example domains (RFC 2606), e.g. factcheck.example.org."""
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in EXAMPLE_DOMAINS)


def _https_url(value: str) -> str:
    from urllib.parse import urlsplit

    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise ValueError(f"{value!r} must be an absolute http(s) URL")
    return value


class RatingDef(BaseModel):
    """One verdict of a rating scale defined in the config file."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,31}$")
    label: str = Field(min_length=1, max_length=100, description="The label in English.")
    labels: dict[str, str] = Field(
        default_factory=dict, description="Labels in other languages, by BCP 47 tag."
    )
    meaning: str = ""
    value: int | None = None
    colour: str = Field("#57606a", pattern=r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")

    @field_validator("labels")
    @classmethod
    def _tags(cls, value: dict[str, str]) -> dict[str, str]:
        from claimcheck.languages import language_tag

        out = {}
        for tag, label in value.items():
            if not label.strip():
                raise ValueError(f"the {tag} label is empty")
            out[language_tag(tag)] = label.strip()
        return out


class ScaleDef(BaseModel):
    """A rating scale defined in the config file (``[scales.NAME]``)."""

    model_config = ConfigDict(extra="forbid")

    title: str = ""
    worst: int = Field(1, ge=1)
    best: int = 5
    ratings: list[RatingDef] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> ScaleDef:
        if self.best <= self.worst:
            raise ValueError(f"best ({self.best}) must be above worst ({self.worst})")
        keys = [r.key for r in self.ratings]
        if len(set(keys)) != len(keys):
            raise ValueError("rating keys must be unique")
        for r in self.ratings:
            if r.value is not None and not self.worst <= r.value <= self.best:
                raise ValueError(f"{r.key}: value {r.value} is outside {self.worst}..{self.best}")
        return self


DEFAULT_METHODOLOGY = (
    "Each claim was researched by one member of the desk, who gathered evidence from primary "
    "sources and proposed a rating; a second editor reviewed the evidence and approved it."
)


class Settings(BaseModel):
    """Every configurable key, with its default and meaning."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    org_name: str = Field(EXAMPLE_NAME, description="Organisation publishing the checks.")
    org_url: str = Field(
        "https://factcheck.example.org",
        description="Base https URL of the organisation; claim pages live under it.",
    )
    org_logo: str | None = Field(
        None, description="https URL of the organisation's logo (ClaimReview publisher logo)."
    )
    org_same_as: list[str] = Field(
        default_factory=list,
        description="The organisation's other profiles (sameAs), space- or comma-separated URLs.",
    )
    methodology: str = Field(
        DEFAULT_METHODOLOGY, description="Methodology text closing every report."
    )
    methodology_page: str | None = Field(
        None,
        description="The site's methodology page (how we select, check, rate and correct); "
        "paragraphs separated by blank lines, '## ' starts a heading. Default: ours, translated.",
    )
    rating_scale: str = Field(
        "default", description="default, politifact, google, or a scale under [scales]."
    )
    scales: dict[str, ScaleDef] = Field(
        default_factory=dict,
        description="Rating scales defined in the config file, with labels per language.",
    )
    tolerance: float = Field(
        DEFAULT_TOLERANCE,
        ge=0,
        le=1,
        description="Relative tolerance for 'about' claims (0.1 = ±10 %).",
    )
    language: str = Field(
        "en", description="Default BCP 47 language of claims (inLanguage), e.g. en, ar, es."
    )
    site_language: str | None = Field(
        None, description="Language of the published site's own words (default: language)."
    )
    publish_reopened: bool = Field(
        True,
        description="Keep a reopened claim published, marked 'under review', until re-approved.",
    )
    database_url: str | None = Field(
        None, description="Database URL or SQLite path used when --db is not given."
    )
    factcheck_labels: dict[str, str] = Field(
        default_factory=dict,
        description="Extra rating labels of imported fact-checks: label → a verdict of the scale "
        '(a TOML table, or JSON such as {"bulo": "false"}).',
    )

    @field_validator("factcheck_labels", mode="before")
    @classmethod
    def _labels(cls, value: Any) -> Any:
        if isinstance(value, str):
            import json

            try:
                value = json.loads(value) if value.strip() else {}
            except json.JSONDecodeError as exc:
                raise ValueError(f"expected a JSON object of label → verdict ({exc.msg})") from None
        return value

    fetch_timeout: float = Field(
        20.0,
        gt=0,
        le=600,
        description="Seconds to wait to connect and for each read when fetching a URL.",
    )
    fetch_max_bytes: int = Field(
        20_000_000,
        ge=1,
        description="Largest response a fetch accepts, in bytes; a larger one is refused.",
    )
    user_agent: str | None = Field(
        None, description="User-Agent sent when fetching (default: claimcheck/VERSION (+org_url))."
    )
    allow_private: bool = Field(
        False,
        description="Fetch from private, loopback and link-local addresses (your own network).",
    )
    wayback_url: str = Field(
        "https://web.archive.org",
        description="Base URL of the Wayback Machine, whose Save Page Now --wayback asks.",
    )
    wayback_interval: float = Field(
        10.0, ge=0, le=3600, description="Least seconds between two Save Page Now requests."
    )

    user: str | None = Field(
        None,
        max_length=100,
        description="Who you are on the desk (SQLite), like git's user.name: the name commands "
        "run as unless --as or CLAIMCHECK_USER says otherwise (default: your login name).",
    )

    notify_command: str | None = Field(
        None,
        description="A command run (without a shell) when a decision assigns a claim to someone "
        "or leaves it waiting for approval; CLAIMCHECK_NOTIFY_* variables say what and for whom "
        "(docs/team.md, 'Hearing about new work').",
    )
    notify_url: str | None = Field(
        None,
        description="An http(s) webhook URL POSTed a JSON notice on the same occasions.",
    )

    @field_validator("notify_url")
    @classmethod
    def _notify_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        if not value.lower().startswith(("https://", "http://")):
            raise ValueError(f"{value!r} is not an http:// or https:// URL")
        return value

    @field_validator("notify_command")
    @classmethod
    def _notify_command(cls, value: str | None) -> str | None:
        import shlex

        if value is None or not value.strip():
            return None
        try:
            shlex.split(value)
        except ValueError as exc:
            raise ValueError(f"cannot be read as a command ({exc})") from None
        return value.strip()

    @field_validator("user")
    @classmethod
    def _user(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not value or any(c.isspace() and c != " " for c in value):
            raise ValueError("must be a name on one line, not empty")
        return value

    @model_validator(mode="after")
    def _known_scale(self) -> Settings:
        from claimcheck.core.ratings import SCALES

        if self.rating_scale not in SCALES and self.rating_scale not in self.scales:
            known = [*SCALES, *self.scales]
            raise ValueError(
                f"rating_scale: unknown scale {self.rating_scale!r} (choose from {', '.join(known)})"
            )
        return self

    @field_validator("scales")
    @classmethod
    def _scale_names(cls, value: dict[str, ScaleDef]) -> dict[str, ScaleDef]:
        from claimcheck.core.ratings import SCALES

        for name in value:
            if name in SCALES:
                raise ValueError(f"{name!r} is a built-in scale; give yours another name")
        return value

    @field_validator("language", "site_language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        from claimcheck.languages import language_tag

        return None if value is None else language_tag(value)

    @field_validator("org_logo")
    @classmethod
    def _logo(cls, value: str | None) -> str | None:
        return _https_url(value) if value else None

    @field_validator("org_same_as", mode="before")
    @classmethod
    def _same_as(cls, value: object) -> object:
        if isinstance(value, str):
            return [v for v in value.replace(",", " ").split() if v]
        return value

    @field_validator("org_same_as")
    @classmethod
    def _same_as_urls(cls, value: list[str]) -> list[str]:
        return [_https_url(v) for v in value]

    def scale(self) -> RatingScale:
        """The active rating scale: a built-in one or one defined under ``[scales]``."""
        from claimcheck.core.ratings import Rating, RatingScale, get_scale

        custom = self.scales.get(self.rating_scale)
        if custom is None:
            return get_scale(self.rating_scale)
        return RatingScale(
            name=self.rating_scale,
            title=custom.title or self.rating_scale,
            worst=custom.worst,
            best=custom.best,
            ratings=tuple(
                Rating(
                    r.key, r.label, r.meaning, r.value, r.colour, tuple(sorted(r.labels.items()))
                )
                for r in custom.ratings
            ),
        )

    @property
    def site_lang(self) -> str:
        return self.site_language or self.language

    @field_validator("org_url")
    @classmethod
    def _org_https(cls, value: str) -> str:
        from urllib.parse import urlsplit

        parts = urlsplit(value.strip())
        if parts.scheme != "https" or not parts.netloc:
            raise ValueError(
                f"must be an https URL, e.g. https://facts.example.org (got {value.strip()[:80]!r}):"
                " published pages and their ClaimReview links are served over https"
            )
        return value.strip().rstrip("/")

    @field_validator("wayback_url")
    @classmethod
    def _https(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("must be an absolute http(s) URL")
        return value.rstrip("/")

    @field_validator("user_agent")
    @classmethod
    def _header_value(cls, value: str | None) -> str | None:
        if value is not None and (not value.strip() or any(ord(c) < 32 for c in value)):
            raise ValueError("must be a non-empty single line")
        return value

    def fetch_user_agent(self) -> str:
        """The User-Agent of fetches: the configured one, else claimcheck/VERSION (+org_url)."""
        from claimcheck import __version__

        return self.user_agent or f"claimcheck/{__version__} (+{self.org_url})"


KEYS = tuple(Settings.model_fields)
# Keys whose values are tables: set in the file only, not by CLAIMCHECK_* or `config set`.
FILE_ONLY_KEYS = ("scales",)


_read_file = read_config_file


class BadSetting(ConfigError):
    """``config set KEY VALUE`` given a key or value it refuses: a usage mistake (exit 2)."""

    exit_code = 2


def _first_error(exc: ValidationError, origin: str) -> ConfigError:
    err = exc.errors()[0]
    field = ".".join(str(p) for p in err["loc"]) or "config"
    message = plain_message(dict(err))
    if field == origin:  # `config set KEY VALUE`: the key once
        return ConfigError(f"{field}: {message}")
    if not err["loc"] and message.startswith(f"{origin}: "):  # a check of the whole settings
        return ConfigError(message)
    return ConfigError(f"{origin}: {field}: {message}")


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
        if key in FILE_ONLY_KEYS:
            continue
        env = os.environ.get(f"CLAIMCHECK_{key.upper()}")
        if env is not None:
            overrides[key] = env
    if overrides:
        try:
            settings = Settings(**{**settings.model_dump(), **overrides})
        except ValidationError as exc:
            raise _first_error(exc, "environment (CLAIMCHECK_*)") from None
    return settings


def set_value(key: str, value: str, path: Path | None = None, *, dry_run: bool = False) -> Settings:
    """Validate and write one key to the config file; returns the file's settings.
    ``dry_run``: validate only."""
    import tomli_w

    path = path or config_path()
    if key not in KEYS:
        raise BadSetting(f"unknown key {key!r} (known: {', '.join(KEYS)})")
    if key in FILE_ONLY_KEYS:
        raise BadSetting(f"{key}: define it in the config file ({path}), as [{key}.NAME]")
    values = _read_file(path)
    values[key] = _storable(key, value)
    try:
        settings = Settings(**values)
    except ValidationError as exc:
        raise BadSetting(_first_error(exc, key).message) from None
    if dry_run:
        return settings
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        k: v
        for k, v in settings.model_dump(exclude_defaults=False).items()
        if k in values and v is not None
    }
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
