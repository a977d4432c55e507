"""Buttons several screens share: the weekly grid of slots, language names, days."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import date

from babel import Locale
from babel.dates import format_date, format_time, get_day_names

from bot.domain.callbacks import Action, Button
from bot.domain.slots import WEEKDAYS, Slot
from bot.i18n import Translator


def language_name(_: Translator, code: str) -> str:
    return str(Locale.parse(_.locale).languages.get(code, code))


def day_label(_: Translator, day: date) -> str:
    return str(format_date(day, "EEE d MMM", locale=_.locale))


def slot_label(_: Translator, slot: Slot) -> str:
    day_names = get_day_names("abbreviated", locale=_.locale)
    return f"{day_names[WEEKDAYS.index(slot.day)]} {format_time(slot.start, 'short', locale=_.locale)}"


def slot_grid(
    _: Translator, slots: Sequence[Slot], chosen: Collection[str], toggle: Callable[[str], Action]
) -> list[list[Button]]:
    """One row a day, one toggle a slot (ticked when chosen); pressing calls back `toggle` of the slot id."""
    rows: list[list[Button]] = []
    for day in WEEKDAYS:
        day_slots = sorted((s for s in slots if s.day == day), key=lambda s: s.start)
        if day_slots:
            rows.append(
                [
                    Button.labelled(f"{'✅' if s.id in chosen else '▫️'} {slot_label(_, s)}", toggle(s.id))
                    for s in day_slots
                ]
            )
    return rows
