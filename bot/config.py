"""Settings: a TOML file, then environment variables, which win.

Everything a town changes lives here, validated once at start; a bad value stops the program with one line
that names the key, so an operator never has to read a traceback.
"""

from __future__ import annotations

import os
import re
import tomllib
from datetime import time
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from bot.config_file import config_path
from bot.domain.errors import OperatorError
from bot.domain.places import Point
from bot.domain.slots import WEEKDAYS, Slot
from bot.matching.week import Weights

# Town packs: what differs from one country to another (emergency numbers, time zone, phone numbers, the source
# of streets, the language), as a TOML file a town names in `town.pack`; its own file overrides any of it.
PACKS = Path(__file__).resolve().parent / "geo" / "packs"
TELEGRAM_API = "https://api.telegram.org"
# The shape of a BotFather token: numeric bot id, colon, secret of at least 30 url-safe characters.
TOKEN_PATTERN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{30,}$")
MIN_SECRET_CHARS = 16


class ConfigError(OperatorError):
    """A setting is missing or wrong: one line that names the key, or the environment variable, to fix."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WebhookSettings(_Strict):
    listen: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = 8443
    url: str = ""
    secret_token: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{0,256}$")] = ""

    @field_validator("secret_token")
    @classmethod
    def _long_enough(cls, value: str) -> str:
        # Anyone who guesses it can post updates as any user: it must not be guessable.
        if value and len(value) < MIN_SECRET_CHARS:
            raise ValueError(
                f"must be at least {MIN_SECRET_CHARS} characters (letters, digits, _ and -); "
                "python3 -c 'import secrets; print(secrets.token_urlsafe(24))' prints one"
            )
        return value


class TelegramSettings(_Strict):
    token: str = ""
    api_base_url: str = TELEGRAM_API
    mode: Literal["polling", "webhook"] = "polling"
    # Telegram's documented ceiling for one bot; a self-hosted Bot API server may allow more.
    max_messages_per_second: Annotated[float, Field(gt=0)] = 30
    # Telegram asks bots to send one private chat no more than about one message a second.
    per_chat_interval_s: Annotated[float, Field(ge=0, le=60)] = 1.0
    # How long a call to the Bot API may go unanswered before it counts as failed and is tried again (a long
    # poll waits this long on top of its own polling time).
    request_timeout_s: Annotated[float, Field(gt=0, le=120)] = 15
    webhook: WebhookSettings = WebhookSettings()

    @field_validator("api_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("must be an http(s) URL such as https://api.telegram.org")
        return value.rstrip("/")

    @property
    def bot_url(self) -> str:
        return f"{self.api_base_url}/bot"

    @property
    def file_url(self) -> str:
        return f"{self.api_base_url}/file/bot"


class WebSettings(_Strict):
    """The bot's monitoring server: /metrics (Prometheus) and /health. Port 0: no server. Apart from the Mini
    App's (`webapp`): this one stays on 127.0.0.1 or a private network, never behind the public proxy."""

    listen: str = "127.0.0.1"
    port: Annotated[int, Field(ge=0, le=65535)] = 0

    @property
    def enabled(self) -> bool:
        return self.port != 0


class WebAppSettings(_Strict):
    """The Mini App (the coordinator's desk, the volunteer's outing), served by the bot's own process."""

    # The public https address Telegram opens (behind the same TLS proxy as the webhook); empty: no Mini App.
    public_url: str = ""
    listen: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = 8444
    # Signed init data older than this is refused: the page is opened again from its button.
    init_data_max_age_s: Annotated[int, Field(ge=60, le=7 * 24 * 3600)] = 24 * 3600
    # Map tiles under the streets and routes drawn from our data; empty: no tiles at all.
    tile_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    tile_attribution: str = "© OpenStreetMap contributors"

    @field_validator("public_url")
    @classmethod
    def _https(cls, value: str) -> str:
        if value and not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("must be the public https URL of the Mini App, such as https://lien.example.org/app")
        return value.rstrip("/")

    @field_validator("tile_url")
    @classmethod
    def _tiles(cls, value: str) -> str:
        if value and not re.match(r"^https://[^\s/]+/\S*\{z\}\S*\{x\}\S*\{y\}", value):
            raise ValueError("must be an https tile URL with {z}, {x} and {y}, or empty for no tiles")
        return value

    @property
    def enabled(self) -> bool:
        return bool(self.public_url)


class StorageSettings(_Strict):
    db_path: Path = Path("lien.sqlite3")


class Neighbourhood(_Strict):
    name: Annotated[str, Field(min_length=1)]
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]

    @property
    def point(self) -> Point:
        return Point(self.lat, self.lon)


_SHIPPED_FILE = r"^([A-Za-z0-9_-]+\.(csv|osm|osm\.pbf))?$"


class TownSettings(_Strict):
    # The pack the town started from (bot/geo/packs/<pack>.toml), empty for Agen's defaults below.
    pack: Annotated[str, Field(pattern=r"^[a-z0-9_-]{0,40}$")] = ""
    name: Annotated[str, Field(min_length=1)] = "Agen"
    # ISO 3166 country: phone numbers are checked and written as there.
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] = "FR"
    # France only: the INSEE code of the commune keeps the national address API inside the town.
    insee_code: Annotated[str, Field(pattern=r"^([0-9][0-9AB][0-9]{3})?$")] = "47001"
    # Where the streets come from: "ban" (Base Adresse Nationale CSV, France), "csv" (name;lat;lon[;neighbourhood])
    # or "osm" (an OpenStreetMap extract). `streets_sample`, a file shipped in bot/geo/data, is loaded into an
    # empty database at the first start.
    streets_source: Literal["ban", "csv", "osm"] = "ban"
    streets_sample: Annotated[str, Field(pattern=_SHIPPED_FILE)] = "agen_streets_sample.csv"
    centre_lat: Annotated[float, Field(ge=-90, le=90)] = 44.2033
    centre_lon: Annotated[float, Field(ge=-180, le=180)] = 0.6163
    radius_m: Annotated[float, Field(gt=0)] = 6000
    neighbourhoods: Annotated[list[Neighbourhood], Field(min_length=1)] = [
        Neighbourhood(name="Centre-ville", lat=44.2033, lon=0.6163)
    ]

    @property
    def centre(self) -> Point:
        return Point(self.centre_lat, self.centre_lon)

    @model_validator(mode="after")
    def _french_codes_in_france(self) -> TownSettings:
        if self.country == "FR" and not self.insee_code:
            raise ValueError("insee_code: a French town needs its INSEE code")
        if self.country != "FR" and (self.insee_code or self.streets_source == "ban"):
            raise ValueError('insee_code and streets_source = "ban" are for French towns only')
        return self


def _default_slots() -> list[Slot]:
    grid = []
    for day in WEEKDAYS[:6]:
        grid.append(Slot(id=f"{day}-am", day=day, start=time(9, 30), end=time(12, 0)))
        grid.append(Slot(id=f"{day}-pm", day=day, start=time(14, 0), end=time(17, 0)))
    return grid


class VolunteerSettings(_Strict):
    # Languages a volunteer can tick (ISO 639 codes; names are shown in the reader's language). The first is
    # assumed until the volunteer says otherwise.
    languages: Annotated[list[Annotated[str, Field(pattern=r"^[a-z]{2,3}$")]], Field(min_length=1)] = [
        "fr",
        "en",
        "es",
        "ar",
        "pt",
        "oc",
    ]
    default_capacity: Annotated[int, Field(ge=1, le=6)] = 2

    @field_validator("languages")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        if len(value) != len(set(value)):
            raise ValueError("every language must appear once")
        return value


_WEIGHTS = Weights()


class PlanningWeights(_Strict):
    """The soft rules' prices in the planner's objective; the defaults and their balance are explained on
    `bot.matching.week.Weights`."""

    uncovered_visit: Annotated[int, Field(ge=1)] = _WEIGHTS.uncovered_visit
    repeated_pair: Annotated[int, Field(ge=0)] = _WEIGHTS.repeated_pair
    walking_minute: Annotated[int, Field(ge=0)] = _WEIGHTS.walking_minute
    no_continuity: Annotated[int, Field(ge=0)] = _WEIGHTS.no_continuity
    overload_point: Annotated[int, Field(ge=0)] = _WEIGHTS.overload_point
    language_mismatch: Annotated[int, Field(ge=0)] = _WEIGHTS.language_mismatch
    gender_mismatch: Annotated[int, Field(ge=0)] = _WEIGHTS.gender_mismatch
    unpreferred_slot: Annotated[int, Field(ge=0)] = _WEIGHTS.unpreferred_slot


class PlanningSettings(_Strict):
    experienced_after_visits: Annotated[int, Field(ge=1)] = 10
    time_limit_s: Annotated[float, Field(gt=0)] = 10.0
    workers: Annotated[int, Field(ge=1, le=64)] = 1
    random_seed: Annotated[int, Field(ge=0)] = 0
    rotation_window_weeks: Annotated[int, Field(ge=0, le=52)] = 4
    visit_minutes: Annotated[float, Field(gt=0, le=240)] = 45.0
    max_walk_minutes: Annotated[float, Field(ge=0, le=240)] = 30.0
    # For studying the planner: CP-SAT's search log through the bot's log (info level), and a folder where the
    # model of each part of the first pass is written as text protobuf.
    log_search: bool = False
    dump_models_to: str | None = None
    # Elderly volunteers in town: see bot/routing/walking.py for the sources of these two numbers.
    walking_speed_kmh: Annotated[float, Field(gt=0, le=10)] = 4.0
    walking_circuity: Annotated[float, Field(ge=1, le=3)] = 1.3
    weights: PlanningWeights = PlanningWeights()


class VisitSettings(_Strict):
    # When volunteers are reminded of the next day's visits (town time, reports.timezone), and how long before
    # the meeting they are reminded again.
    reminder_day_before: time = time(18, 0)
    reminder_before_minutes: Annotated[int, Field(ge=10, le=240)] = 60
    # A visit with no news this long after its slot ended counts as unanswered.
    unanswered_after_hours: Annotated[int, Field(ge=1, le=168)] = 24
    # An open call for a visit nobody could take ends this long after it is launched (at the latest when
    # its half-day starts); the coordinator is then told who took it, or that nobody did.
    open_call_hours: Annotated[int, Field(ge=1, le=168)] = 12
    # A meeting point every pair uses (a community centre); without it, a pair meets at the home of the
    # member with less walking to the visits.
    hub_name: str = ""
    hub_lat: Annotated[float | None, Field(ge=-90, le=90)] = None
    hub_lon: Annotated[float | None, Field(ge=-180, le=180)] = None

    @model_validator(mode="after")
    def _whole_hub(self) -> VisitSettings:
        if (self.hub_lat is None) != (self.hub_lon is None):
            raise ValueError("hub_lat and hub_lon go together")
        return self

    @property
    def hub(self) -> Point | None:
        return Point(self.hub_lat, self.hub_lon) if self.hub_lat is not None and self.hub_lon is not None else None


_PHONE = r"^[0-9+ ]{0,20}$"


class EmergencySettings(_Strict):
    """Numbers shown at once to whoever reports a danger now, in this order; an empty one is not shown."""

    # "samu" is the name older configuration files gave the French medical number.
    medical: Annotated[str, Field(pattern=_PHONE, validation_alias=AliasChoices("medical", "samu"))] = "15"
    police: Annotated[str, Field(pattern=_PHONE)] = "17"
    fire: Annotated[str, Field(pattern=_PHONE)] = "18"
    european: Annotated[str, Field(pattern=_PHONE)] = "112"
    # Emergencies by text message, for deaf and hard-of-hearing people.
    deaf_sms: Annotated[str, Field(pattern=_PHONE)] = "114"
    suicide_prevention: str = "3114"
    social_service_name: str = "CCAS"
    social_service_phone: Annotated[str, Field(min_length=2)] = "05 53 66 12 56"

    def numbers(self) -> list[tuple[str, str]]:
        """(kind, number) of the numbers to call, each kind a catalogue key `emergency.<kind>`."""
        found = [("medical", self.medical), ("police", self.police), ("fire", self.fire)]
        found += [("european", self.european), ("deaf_sms", self.deaf_sms)]
        return [(kind, number) for kind, number in found if number]


class GeocodingSettings(_Strict):
    # The national address API; off, the imported streets and house numbers answer alone.
    online: bool = True
    timeout_s: Annotated[float, Field(gt=0, le=30)] = 3.0


class ReportsSettings(_Strict):
    # When coordinators get the list of reports still new (urgent ones reach them at once).
    digest_time: time = time(8, 30)
    # The town's time zone, in which digest_time is read.
    timezone: str = "Europe/Paris"
    # Days after a loss when the coordinators are reminded to check in on a bereaved person.
    bereavement_checkin_days: Annotated[list[Annotated[int, Field(gt=0, le=3660)]], Field(min_length=1)] = [
        14,
        30,
        91,
        182,
        365,
    ]

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("unknown time zone, use a name such as Europe/Paris") from None
        return value


class LimitSettings(_Strict):
    # What one account may send the coordinators' desk within `period_hours` before it is asked, kindly, to
    # wait (a coordinator lifts the limit from the notice): new reports, dangers, and contact requests after
    # the self-test. A danger over the limit still shows the emergency numbers; only the desk is spared.
    period_hours: Annotated[int, Field(ge=1, le=168)] = 24
    reports: Annotated[int, Field(ge=1, le=1000)] = 10
    dangers: Annotated[int, Field(ge=1, le=1000)] = 3
    contact_requests: Annotated[int, Field(ge=1, le=1000)] = 2


class PrivacySettings(_Strict):
    # The key that seals free text and phone numbers in the database. Empty: read from key_file, which is
    # created (owner-only) on the first start with a new database. Losing the key loses the sealed data.
    data_key: str = ""
    # Empty: beside the database, same name with ".key" (lien.sqlite3 -> lien.key).
    key_file: Path | None = None
    # Hour (in reports.timezone) of the daily retention pass and backup.
    daily_time: time = time(3, 30)
    # Retention periods, in days. Files of persons followed: 2 years after the last contact, the CNIL's
    # reference duration for social support (référentiel « durées de conservation » du secteur social et
    # médico-social, sheet "accueil, hébergement et accompagnement social et médico-social": active base,
    # 2 years from the last contact with the person supported).
    person_file_days: Annotated[int, Field(ge=30)] = 730
    # Reports that never led to a file lose what identifies anyone (reporter, address, who, note) after this.
    unfiled_report_days: Annotated[int, Field(ge=7)] = 183
    audit_days: Annotated[int, Field(ge=30)] = 365
    # Raw Telegram updates (names, texts) are only needed until processed, and to skip a redelivery.
    inbox_days: Annotated[int, Field(ge=1)] = 3
    # Delivered notices only serve to not send an event twice.
    sent_notice_days: Annotated[int, Field(ge=1)] = 30

    def key_path(self, db_path: Path) -> Path:
        """The key file, as an absolute path (it is named in the operator's messages)."""
        return (self.key_file if self.key_file is not None else db_path.with_suffix(".key")).resolve()

    def journal_path(self, db_path: Path) -> Path:
        """The erasure journal, beside the database (lien.sqlite3 -> lien.erasures): it outlives the database
        it was written for, so that a restored backup has the later erasures applied again."""
        return db_path.with_suffix(".erasures")


class BackupSettings(_Strict):
    # Empty: a "backups" folder beside the database.
    folder: Path | None = None
    # How many copies are kept; older ones are removed.
    keep: Annotated[int, Field(ge=1, le=366)] = 7
    # And none older than this, whatever `keep`: data erased in the database lives no longer in a copy.
    max_age_days: Annotated[int, Field(ge=1, le=366)] = 14

    def folder_for(self, db_path: Path) -> Path:
        return self.folder if self.folder is not None else db_path.parent / "backups"


class InvitationSettings(_Strict):
    # Days an invitation link (a professional's, an imported volunteer's) can be used, once.
    valid_days: Annotated[int, Field(ge=1, le=90)] = 7


class NearbyPlace(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=80)]
    # One short line: what happens there, when.
    what: Annotated[str, Field(max_length=200)] = ""
    phone: Annotated[str, Field(max_length=30)] = ""


class SelfTestSettings(_Strict):
    # What the self-test suggests nearby. EXAMPLES for Agen, to be replaced by the town's own list.
    places: Annotated[list[NearbyPlace], Field(max_length=10)] = [
        NearbyPlace(name="Centre social de Montanou", what="ateliers, sorties et repas partagés"),
        NearbyPlace(name="Médiathèque Lacépède", what="lectures, clubs de lecture, aide au numérique"),
        NearbyPlace(name="Café associatif du centre-ville", what="un café, des jeux, des rencontres"),
        NearbyPlace(name="Club des aînés", what="marche, belote et goûters chaque semaine"),
    ]


class PeopleSettings(_Strict):
    coordinators: list[Annotated[int, Field(gt=0)]] = []


class I18nSettings(_Strict):
    # The catalogues of locales/ (bot.i18n.SUPPORTED); "cnr" is Montenegrin in Latin script.
    default_language: Literal["fr", "en", "it", "es", "pt", "ro", "el", "sl", "da", "hu", "cnr"] = "fr"


class Settings(_Strict):
    telegram: TelegramSettings = TelegramSettings()
    web: WebSettings = WebSettings()
    webapp: WebAppSettings = WebAppSettings()
    storage: StorageSettings = StorageSettings()
    town: TownSettings = TownSettings()
    slots: list[Slot] = Field(default_factory=_default_slots)
    volunteers: VolunteerSettings = VolunteerSettings()
    planning: PlanningSettings = PlanningSettings()
    emergency: EmergencySettings = EmergencySettings()
    people: PeopleSettings = PeopleSettings()
    i18n: I18nSettings = I18nSettings()
    geocoding: GeocodingSettings = GeocodingSettings()
    reports: ReportsSettings = ReportsSettings()
    limits: LimitSettings = LimitSettings()
    visits: VisitSettings = VisitSettings()
    privacy: PrivacySettings = PrivacySettings()
    backup: BackupSettings = BackupSettings()
    invitations: InvitationSettings = InvitationSettings()
    selftest: SelfTestSettings = SelfTestSettings()

    @model_validator(mode="after")
    def _unique_slot_ids(self) -> Settings:
        ids = [slot.id for slot in self.slots]
        if len(ids) != len(set(ids)):
            raise ValueError("slots: every slot id must be unique")
        return self

    def require_token(self) -> str:
        token = self.telegram.token
        if not token:
            raise ConfigError("config.token_missing")
        if not TOKEN_PATTERN.match(token):
            raise ConfigError("config.token_malformed")
        if self.telegram.mode == "webhook" and not self.telegram.webhook.url:
            raise ConfigError("config.webhook_url_missing")
        if self.telegram.mode == "webhook" and not self.telegram.webhook.secret_token:
            raise ConfigError("config.webhook_secret_missing")
        return token


def _split_ids(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]


# Environment variable -> (section path, converter). Environment wins over the file so the bot runs in a
# container with nothing edited.
ENVIRONMENT: dict[str, tuple[tuple[str, ...], Any]] = {
    "BOT_TOKEN": (("telegram", "token"), str),
    "BOT_API_BASE_URL": (("telegram", "api_base_url"), str),
    "BOT_MODE": (("telegram", "mode"), str),
    "BOT_WEBHOOK_URL": (("telegram", "webhook", "url"), str),
    "BOT_WEBHOOK_SECRET": (("telegram", "webhook", "secret_token"), str),
    "BOT_WEBHOOK_LISTEN": (("telegram", "webhook", "listen"), str),
    "BOT_WEBHOOK_PORT": (("telegram", "webhook", "port"), str),
    "BOT_WEB_LISTEN": (("web", "listen"), str),
    "BOT_WEB_PORT": (("web", "port"), str),
    "BOT_WEBAPP_URL": (("webapp", "public_url"), str),
    "BOT_WEBAPP_LISTEN": (("webapp", "listen"), str),
    "BOT_WEBAPP_PORT": (("webapp", "port"), str),
    "BOT_DB_PATH": (("storage", "db_path"), str),
    "BOT_COORDINATORS": (("people", "coordinators"), _split_ids),
    "BOT_DEFAULT_LANGUAGE": (("i18n", "default_language"), str),
    "BOT_GEOCODING_ONLINE": (("geocoding", "online"), str),
    "BOT_DATA_KEY": (("privacy", "data_key"), str),
    "BOT_DATA_KEY_FILE": (("privacy", "key_file"), str),
    "BOT_BACKUP_DIR": (("backup", "folder"), str),
}


def _apply_environment(raw: dict[str, Any], environ: dict[str, str]) -> None:
    for name, (path, convert) in ENVIRONMENT.items():
        if name not in environ:
            continue
        section = raw
        for key in path[:-1]:
            section = section.setdefault(key, {})
        section[path[-1]] = convert(environ[name])


def _refusal(error: ValidationError, path: Path, environ: dict[str, str]) -> ConfigError:
    """The first problem, blamed on what the operator wrote: the environment variable when one set that key
    (its value is never repeated: it may be the token), else the file."""
    first = error.errors()[0]
    location = ".".join(str(part) for part in first["loc"]) or "config"
    if first["type"] == "extra_forbidden":
        return ConfigError("config.unknown_key", path=path, key=location)
    for name, (section, _) in ENVIRONMENT.items():
        key = ".".join(section)
        if name in environ and (location == key or location.startswith(key + ".")):
            return ConfigError("config.invalid_variable", variable=name, key=key, reason=first["msg"])
    return ConfigError("config.invalid_in_file", path=path, key=location, reason=first["msg"])


def _with_pack(raw: dict[str, Any]) -> dict[str, Any]:
    """The town's file laid over its pack: a key the town sets wins, a section it sets in part keeps the rest."""
    name = raw.get("town", {}).get("pack", "") if isinstance(raw.get("town"), dict) else ""
    if not name:
        return raw
    pack = PACKS / f"{name}.toml"
    if not re.fullmatch(r"[a-z0-9_-]{1,40}", str(name)) or not pack.is_file():
        known = ", ".join(sorted(p.stem for p in PACKS.glob("*.toml")))
        raise ConfigError(f"town.pack: no pack named {name!r} (packs shipped: {known})")
    return _merged(tomllib.loads(pack.read_text(encoding="utf-8")), raw)


def _merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        below = merged.get(key)
        merged[key] = _merged(below, value) if isinstance(below, dict) and isinstance(value, dict) else value
    return merged


def load_settings(path: Path | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Read the file (config.toml if present, else the shipped example) and the environment."""
    environ = dict(os.environ) if environ is None else environ
    path = config_path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("config.file_missing", path=path) from None
    except IsADirectoryError:
        raise ConfigError("config.not_a_file", path=path) from None
    except UnicodeDecodeError:
        raise ConfigError("config.not_utf8", path=path) from None
    except OSError as exc:
        raise ConfigError("config.unreadable", path=path, reason=exc.strerror or type(exc).__name__) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("config.not_toml", path=path, reason=str(exc)) from None
    _apply_environment(raw, environ)
    raw = _with_pack(raw)
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        raise _refusal(exc, path, environ) from None
