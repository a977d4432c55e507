"""The file of a person followed: read with a trace in the audit log, changed field by field, found by name
or street, and the bereavement follow-up whose check-ins remind the coordinators."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.domain.actions.persons import OpenPerson
from bot.domain.callbacks import Button
from bot.domain.persons import (
    CONSENT_WAYS,
    END_REASONS,
    SATISFACTION_LEVELS,
    VISIT_FREQUENCIES,
    VISITOR_GENDERS,
    AddressForm,
    CheckinsScheduled,
    Edit,
    PersonRecord,
    PersonStatus,
)
from bot.domain.phones import example, town_phone
from bot.domain.places import Address
from bot.domain.reports import NEEDS, ReportRecord
from bot.geo.text import normalise
from bot.notices import Notice
from bot.services.notifications import Notifier
from bot.services.roles import RoleService
from bot.storage.persons import PersonRepository
from bot.storage.reports import ReportRepository

MAX_NAME_CHARS = 80
MAX_SEARCH_CHARS = 100
# The oldest date a coordinator may give (a consent or a loss); anything before is a typing mistake.
OLDEST_DATE = date(1900, 1, 1)


def valid_name(text: str) -> str | None:
    """A name someone can be greeted by: with letters, not too long; None otherwise."""
    name = " ".join(text.split())
    if not name or len(name) > MAX_NAME_CHARS or not any(char.isalpha() for char in name):
        return None
    return name


def parse_day(text: str, today: date) -> date | None:
    """A day as a coordinator types it: 14/03/2026, 14.03.26, 2026-03-14, or 14/03 (the last one not in the
    future); None when it is not a real day."""
    raw = text.strip()
    if len(raw) > 20:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", raw):
            year, month, day = (int(part) for part in raw.split("-"))
            return date(year, month, day)
        parts = re.split(r"[/.\-\s]+", raw)
        if not 2 <= len(parts) <= 3 or not all(part.isdigit() for part in parts):
            return None
        day, month = int(parts[0]), int(parts[1])
        if len(parts) == 2:
            found = date(today.year, month, day)
            return found if found <= today else date(today.year - 1, month, day)
        year = int(parts[2])
        if len(parts[2]) == 2:
            year += 2000 if 2000 + year <= today.year else 1900
        elif len(parts[2]) != 4:
            return None
        return date(year, month, day)
    except ValueError:
        return None


def _edit(done: bool) -> Edit:
    """What storage's answer means: it changes nothing for a file that is not there."""
    return Edit.CHANGED if done else Edit.NOT_POSSIBLE


@dataclass(frozen=True, slots=True)
class PersonFile:
    """Everything a coordinator or a professional reads on one file."""

    person: PersonRecord
    reports: list[ReportRecord]
    checkins: list[tuple[date, bool]]
    satisfaction: tuple[date, int] | None  # the last answer, when the person was ever asked

    @property
    def next_checkin(self) -> date | None:
        return next((day for day, reminded in self.checkins if not reminded), None)


class PersonService:
    def __init__(
        self,
        persons: PersonRepository,
        reports: ReportRepository,
        roles: RoleService,
        notifier: Notifier,
        checkin_days: Sequence[int],
        slot_ids: Sequence[str],
        languages: Sequence[str],
        country: str,
        today: Callable[[], date] = date.today,
    ) -> None:
        self._country = country
        self._persons = persons
        self._reports = reports
        self._roles = roles
        self._notifier = notifier
        self._checkin_days = tuple(checkin_days)
        self._slot_ids = tuple(slot_ids)
        self._languages = tuple(languages)
        self.today = today

    # --- reading ------------------------------------------------------------------------------------------
    async def open(self, person_id: int, actor: int) -> PersonFile | None:
        """The whole file; the reading is written to the audit log."""
        person = await self._persons.open(person_id, actor)
        if person is None:
            return None
        return PersonFile(
            person,
            await self._reports.of_person(person_id),
            await self._persons.checkins(person_id),
            await self._persons.last_satisfaction(person_id),
        )

    async def get(self, person_id: int) -> PersonRecord | None:
        """One field's screen: the file without the reading of it (the whole file is shown by `open`)."""
        return await self._persons.get(person_id)

    async def search(self, text: str) -> list[PersonRecord]:
        """Files whose name or address holds every word typed (accents and case ignored), followed ones first."""
        wanted = normalise(text[:MAX_SEARCH_CHARS]).split()
        return [
            person
            for person in await self._persons.all()
            if all(word in normalise(f"{person.name} {person.address}") for word in wanted)
        ]

    # --- changing -----------------------------------------------------------------------------------------
    async def rename(self, person_id: int, actor: int, text: str) -> Edit:
        name = valid_name(text)
        if name is None:
            return Edit.BAD_NAME
        return _edit(await self._persons.update(person_id, actor, {"name": name}))

    async def set_address(self, person_id: int, actor: int, address: Address) -> Edit:
        return _edit(await self._persons.set_address(person_id, actor, address))

    def phone_example(self) -> str:
        """How a number of the town is written, to show whoever types one."""
        return example(self._country)

    async def set_phone(self, person_id: int, actor: int, text: str | None) -> Edit:
        """A valid number of the town's country as typed, or None to remove it."""
        phone = None if text is None else town_phone(text, self._country)
        if text is not None and phone is None:
            return Edit.BAD_PHONE
        return _edit(await self._persons.update(person_id, actor, {"phone": phone}))

    async def toggle_need(self, person_id: int, actor: int, need: str) -> Edit:
        person = await self._persons.get(person_id)
        if person is None or need not in NEEDS:
            return Edit.NOT_POSSIBLE
        needs = [n for n in NEEDS if (n in person.needs) != (n == need)]
        return _edit(await self._persons.update(person_id, actor, {"needs": needs}))

    async def set_frequency(self, person_id: int, actor: int, per_month: int) -> Edit:
        if per_month not in VISIT_FREQUENCIES:
            return Edit.NOT_POSSIBLE
        return _edit(await self._persons.update(person_id, actor, {"visits_per_month": per_month}))

    async def toggle_slot(self, person_id: int, actor: int, slot_id: str) -> Edit:
        """A preferred slot among the configured ones; none ticked means any slot suits."""
        person = await self._persons.get(person_id)
        if person is None or slot_id not in self._slot_ids:
            return Edit.NOT_POSSIBLE
        slots = [s for s in self._slot_ids if (s in person.slots) != (s == slot_id)]
        return _edit(await self._persons.update(person_id, actor, {"slots": slots}))

    async def toggle_language(self, person_id: int, actor: int, code: str) -> Edit:
        """Languages the person speaks; at least one always stays."""
        person = await self._persons.get(person_id)
        if person is None or code not in self._languages:
            return Edit.NOT_POSSIBLE
        languages = [c for c in self._languages if (c in person.languages) != (c == code)]
        if not languages:
            return Edit.NOT_POSSIBLE
        return _edit(await self._persons.update(person_id, actor, {"languages": languages}))

    async def set_visitor_gender(self, person_id: int, actor: int, gender: str) -> Edit:
        if gender not in VISITOR_GENDERS:
            return Edit.NOT_POSSIBLE
        return _edit(await self._persons.update(person_id, actor, {"visitor_gender": gender}))

    async def set_address_as(self, person_id: int, actor: int, form: AddressForm) -> Edit:
        """How the visitors address the person (Madame, Monsieur, by first name): the file's sentences agree."""
        return _edit(await self._persons.update(person_id, actor, {"address_as": form.value}))

    async def set_consent(self, person_id: int, actor: int, how: str, on: date | str) -> Edit:
        """When (a day picked, or as typed) and how the person agreed to be followed; not in the future."""
        if how not in CONSENT_WAYS:
            return Edit.NOT_POSSIBLE
        day = self._day(on)
        if day is None:
            return Edit.BAD_DATE
        return _edit(await self._persons.update(person_id, actor, {"consent_how": how, "consent_at": day.isoformat()}))

    async def withdraw_consent(self, person_id: int, actor: int) -> Edit:
        return _edit(await self._persons.update(person_id, actor, {"consent_how": None, "consent_at": None}))

    async def set_status(self, person_id: int, actor: int, status: PersonStatus) -> Edit:
        """Follow again or pause; ending needs a reason (`end`)."""
        if status == PersonStatus.ENDED:
            return Edit.NOT_POSSIBLE
        return _edit(await self._persons.set_status(person_id, actor, status, None))

    async def end(self, person_id: int, actor: int, reason: str) -> Edit:
        if reason not in END_REASONS:
            return Edit.NOT_POSSIBLE
        return _edit(await self._persons.set_status(person_id, actor, PersonStatus.ENDED, reason))

    async def record_satisfaction(self, person_id: int, actor: int, level: int) -> Edit:
        """What the person answered today when asked whether the visits suit them."""
        if level not in SATISFACTION_LEVELS:
            return Edit.NOT_POSSIBLE
        return _edit(await self._persons.record_satisfaction(person_id, actor, level, self.today()))

    def _day(self, given: date | str) -> date | None:
        """A day picked or typed, if it can be one of a loss or a consent: not in the future, nor too old."""
        day = parse_day(given, self.today()) if isinstance(given, str) else given
        return day if day is not None and OLDEST_DATE <= day <= self.today() else None

    # --- bereavement follow-up ------------------------------------------------------------------------------
    async def follow_bereavement(self, person_id: int, actor: int, loss: date | str) -> CheckinsScheduled | Edit:
        """Schedule the check-ins at the configured days after the loss (a day picked, or as typed); those
        already past are not scheduled."""
        day = self._day(loss)
        if day is None:
            return Edit.BAD_DATE
        today = self.today()
        upcoming = sorted(due for due in (day + timedelta(days=days) for days in self._checkin_days) if due >= today)
        if not await self._persons.schedule_checkins(person_id, actor, day, upcoming):
            return Edit.NOT_POSSIBLE
        return CheckinsScheduled(tuple(upcoming))

    async def stop_bereavement(self, person_id: int, actor: int) -> Edit:
        return _edit(await self._persons.schedule_checkins(person_id, actor, None, ()))

    async def remind_checkins(self, today: date | None = None) -> int:
        """Remind every coordinator of the check-ins due; run daily, and at start for the days missed.

        Each check-in is reminded once: its notice has a dedup key, and it is marked reminded after."""
        due = await self._persons.due_checkins(today or self.today())
        for checkin in due:
            notice = Notice(
                "person.checkin_due",
                {"name": checkin.person_name, "due": checkin.due_on},
                ((Button("button.see_file", OpenPerson(checkin.person_id)),),),
            )
            for coordinator in sorted(self._roles.coordinators):
                key = f"person.checkin:{checkin.person_id}:{checkin.due_on}:{coordinator}"
                await self._notifier.tell(coordinator, notice, key)
            await self._persons.mark_reminded(checkin.person_id, checkin.due_on)
        return len(due)
