"""Typed callbacks: what a button does when pressed, declared once as an action with typed fields.

An action is a frozen dataclass declared with a short prefix and the roles allowed to press it:

    @dataclass(frozen=True)
    class ConfirmVisit(Action, prefix="vis:ok", roles=VOLUNTEERS):
        visit_id: Id

The same declaration packs the callback data (`vis:ok:123`: the prefix, then each field in order, joined by
colons), gives the anchored pattern a handler listens to (with a named group per field), reads a press back
into the typed action, and carries the access rule. Callback data comes from the client: a press is only
ever read through the pattern of the action it claims to be, and read values are checked again by the
services. Buttons queued in the outbox keep their data as packed, so a prefix or a field's spelling is part
of the stored format and must not change.

Field types: `int` (at most 9 digits unless `Digits` says otherwise), `bool` (0 or 1), a `StrEnum`, a `str`
or `int` limited by `OneOf`, a `str` limited by `Matching`, a `date` (ISO), and any of these `| None`
(spelt `-`, or as `Absent` says)."""

from __future__ import annotations

import re
import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Self, Union, get_args, get_origin, get_type_hints

from bot.domain.roles import Role

# Telegram refuses callback data longer than this (BUTTON_DATA_INVALID).
MAX_DATA_BYTES = 64
SEPARATOR = ":"


@dataclass(frozen=True, slots=True)
class Digits:
    """An int field of at most `count` digits."""

    count: int


@dataclass(frozen=True, slots=True)
class OneOf:
    """A field taking only these values (members of its enum, strings or ints)."""

    values: tuple[object, ...]


@dataclass(frozen=True, slots=True)
class Matching:
    """A str field matching this regular expression (no groups of its own)."""

    pattern: str


@dataclass(frozen=True, slots=True)
class Absent:
    """How None is spelt in an optional field, when not `-`."""

    token: str


# The ids of the database's rows, and Telegram's ids of people (up to 15 digits here).
Id = Annotated[int, Digits(9)]
TelegramId = Annotated[int, Digits(15)]
# A page of a list, counted from 0 (bot/handlers/pages.py).
PageIndex = Annotated[int, Digits(5)]


@dataclass(frozen=True, slots=True)
class _Codec:
    pattern: str
    read: Callable[[str], object]
    write: Callable[[Any], str]


def _alternatives(values: Iterable[str]) -> str:
    return "|".join(re.escape(value) for value in values)


def _codec(hint: object) -> _Codec:
    marks: tuple[object, ...] = ()
    if get_origin(hint) is Annotated:
        hint, *rest = get_args(hint)
        marks = tuple(rest)
    choices = next((m.values for m in marks if isinstance(m, OneOf)), None)
    if get_origin(hint) in (Union, types.UnionType):
        present = [arg for arg in get_args(hint) if arg is not type(None)]
        if len(present) != 1 or len(get_args(hint)) != 2:
            raise TypeError(f"a field is one type, or one type | None: {hint}")
        inner = _codec(Annotated[present[0], *marks]) if marks else _codec(present[0])
        token = next((m.token for m in marks if isinstance(m, Absent)), "-")
        return _Codec(
            f"{re.escape(token)}|{inner.pattern}",
            lambda raw: None if raw == token else inner.read(raw),
            lambda value: token if value is None else inner.write(value),
        )
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        members = [hint(str(value)) for value in choices] if choices is not None else list(hint)
        return _Codec(_alternatives(m.value for m in members), hint, lambda value: str(value.value))
    if hint is bool:
        return _Codec("[01]", lambda raw: raw == "1", lambda value: "1" if value else "0")
    if hint is int:
        if choices is not None:
            return _Codec(_alternatives(str(c) for c in choices), int, str)
        count = next((m.count for m in marks if isinstance(m, Digits)), 9)
        return _Codec(r"\d" if count == 1 else rf"\d{{1,{count}}}", int, str)
    if hint is str:
        if choices is not None:
            return _Codec(_alternatives(str(c) for c in choices), str, str)
        matching = next((m.pattern for m in marks if isinstance(m, Matching)), None)
        if matching is None:
            raise TypeError("a str field says what it may hold (OneOf or Matching)")
        return _Codec(matching, str, str)
    if hint is date:
        return _Codec(r"\d{4}-\d{2}-\d{2}", date.fromisoformat, date.isoformat)
    raise TypeError(f"no callback spelling for a field of type {hint}")


@dataclass(frozen=True, slots=True)
class _Spec:
    pattern: re.Pattern[str]
    codecs: tuple[tuple[str, _Codec], ...]


_DECLARED: list[type[Action]] = []


@dataclass(frozen=True)
class Action:
    """What a button does: subclasses are frozen dataclasses declared with `prefix` and `roles`."""

    prefix: ClassVar[str]
    roles: ClassVar[frozenset[Role]]

    def __init_subclass__(cls, *, prefix: str, roles: frozenset[Role], **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not roles:
            raise TypeError(f"{cls.__name__}: an action says who may press it")
        cls.prefix = prefix
        cls.roles = roles
        _DECLARED.append(cls)

    def __post_init__(self) -> None:
        self.pack()

    @classmethod
    def pattern(cls) -> re.Pattern[str]:
        """The anchored pattern of this action's callback data, with a named group per field."""
        return _spec(cls).pattern

    @classmethod
    def from_match(cls, match: re.Match[str]) -> Self:
        """The action a press matching `pattern()` stands for; ValueError when a value does not read (a day
        that does not exist)."""
        values = {name: codec.read(match.group(name)) for name, codec in _spec(cls).codecs}
        return cls(**values)

    @classmethod
    def parse(cls, data: str) -> Self | None:
        match = cls.pattern().fullmatch(data)
        if match is None:
            return None
        try:
            return cls.from_match(match)
        except ValueError:
            return None

    def pack(self) -> str:
        """The callback data; ValueError when a value cannot be spelt, or the whole is too long for Telegram."""
        spec = _spec(type(self))
        data = SEPARATOR.join([self.prefix, *(codec.write(getattr(self, name)) for name, codec in spec.codecs)])
        if spec.pattern.fullmatch(data) is None:
            raise ValueError(f"{self!r} does not pack into its own pattern")
        if len(data.encode("utf-8")) > MAX_DATA_BYTES:
            raise ValueError(f"{self!r} packs into more than {MAX_DATA_BYTES} bytes")
        return data


_SPECS: dict[type[Action], _Spec] = {}


def _spec(action: type[Action]) -> _Spec:
    """Read from the dataclass's fields the first time (they exist once the class is fully declared)."""
    found = _SPECS.get(action)
    if found is None:
        hints = get_type_hints(action, include_extras=True)
        codecs = tuple((field.name, _codec(hints[field.name])) for field in fields(action))
        groups = "".join(f"{SEPARATOR}(?P<{name}>{codec.pattern})" for name, codec in codecs)
        # ASCII: a digit is 0-9, not any script's (int() reads "٣" as 3, and a button never carries it).
        found = _SPECS[action] = _Spec(re.compile(f"^{re.escape(action.prefix)}{groups}$", re.ASCII), codecs)
    return found


def declared() -> tuple[type[Action], ...]:
    """Every action declared so far (bot.domain.actions declares them all), each checked: its fields have a
    spelling, and no other action has its prefix and as many fields (so no data reads as two actions)."""
    seen: dict[tuple[str, int], type[Action]] = {}
    for action in _DECLARED:
        key = (action.prefix, len(_spec(action).codecs))
        if key in seen:
            raise TypeError(f"{action.__name__} and {seen[key].__name__} read the same callback data")
        seen[key] = action
    return tuple(_DECLARED)


@dataclass(frozen=True, slots=True)
class Button:
    """A button: its label is a catalogue key (or `text` taken as it is); pressing it calls back `action`,
    opens `url`, or opens the Mini App at `web_app` (an address, or a path under the Mini App's own address,
    resolved when the button is drawn: a queued notice follows the town's address, and without a Mini App
    the button is left out). Never a string of callback data: the registry packs the action."""

    label_key: str
    action: Action | None = None
    text: str | None = None
    url: str | None = None
    web_app: str | None = None

    def __post_init__(self) -> None:
        targets = [target for target in (self.url, self.web_app) if target is not None]
        calls_back = isinstance(self.action, Action) and not targets
        opens = self.action is None and len(targets) == 1
        if not (calls_back or opens):
            raise TypeError(f"a button calls back an action, opens a url or opens the Mini App: {self!r}")

    @classmethod
    def labelled(cls, text: str, action: Action) -> Button:
        """A button whose label is already final text (a street name, a translated phrase)."""
        return cls("", action, text)

    @classmethod
    def link(cls, label_key: str, url: str) -> Button:
        return cls(label_key, None, None, url)

    @classmethod
    def mini_app(cls, label_key: str, where: str) -> Button:
        return cls(label_key, None, None, None, where)
