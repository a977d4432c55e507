"""The file of a person followed, for coordinators and professionals only; each opening is audited."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.handlers.common import Context, answer, buttons, requires, services, translator
from bot.i18n import Translator
from bot.notices import Button
from bot.services.persons import VISIT_FREQUENCIES
from bot.services.reports import NEEDS
from bot.services.roles import Role
from bot.storage.persons import PersonRecord, PersonStatus


def render(_: Translator, person: PersonRecord) -> str:
    return _(
        "person.file",
        name=person.name,
        address=person.address or "?",
        phone=person.phone or "-",
        needs=", ".join(_(f"sign.need_{need}") for need in person.needs) or "-",
        frequency=person.visits_per_month,
        status=_(f"person.status.{person.status.value}"),
        bereavement=person.bereavement_on or "-",
    )


def file_buttons(_: Translator, person: PersonRecord) -> list[list[Button]]:
    needs = [
        Button.labelled(("✅ " if n in person.needs else "▫️ ") + _(f"sign.need_{n}"), f"pf:need:{person.id}:{n}")
        for n in NEEDS
    ]
    rows = [needs[i : i + 2] for i in range(0, len(needs), 2)]
    rows.append(
        [
            Button.labelled(
                ("• " if f == person.visits_per_month else "") + _("person.per_month", count=f),
                f"pf:freq:{person.id}:{f}",
            )
            for f in VISIT_FREQUENCIES
        ]
    )
    rows.append(
        [
            Button.labelled(_(f"person.set_status.{s.value}"), f"pf:st:{person.id}:{s.value}")
            for s in PersonStatus
            if s != person.status
        ]
    )
    # Coordinators only: the button is refused to anyone else (bot/handlers/privacy.py).
    rows.append([Button("button.erase_file", f"pv:erase:{person.id}")])
    return rows


async def _show(update: Update, context: Context, person_id: int) -> None:
    _ = await translator(update, context)
    user = update.effective_user
    assert user is not None
    person = await services(context).persons.open(person_id, user.id)
    if person is None:
        await answer(update, _("person.unknown"))
        return
    await answer(update, render(_, person), buttons(_, file_buttons(_, person)))


@requires(Role.COORDINATOR, Role.PROFESSIONAL)
async def open_file(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    await _show(update, context, int(query.data.split(":")[2]))


@requires(Role.COORDINATOR, Role.PROFESSIONAL)
async def change(update: Update, context: Context) -> None:
    query, user = update.callback_query, update.effective_user
    assert query is not None and query.data is not None and user is not None
    _prefix, what, raw_id, value = query.data.split(":")
    person_id = int(raw_id)
    persons = services(context).persons
    if what == "need":
        await persons.toggle_need(person_id, user.id, value)
    elif what == "freq":
        await persons.set_frequency(person_id, user.id, int(value))
    else:
        await persons.set_status(person_id, user.id, PersonStatus(value))
    await _show(update, context, person_id)


async def remind_checkins(context: Context) -> None:
    await services(context).persons.remind_checkins()


def handlers() -> list[BaseHandler[Update, Context, object]]:
    needs = "|".join(NEEDS)
    statuses = "|".join(s.value for s in PersonStatus)
    return [
        CallbackQueryHandler(open_file, pattern=r"^pf:open:\d{1,9}$"),
        CallbackQueryHandler(
            change, pattern=rf"^pf:(need:\d{{1,9}}:({needs})|freq:\d{{1,9}}:\d{{1,2}}|st:\d{{1,9}}:({statuses}))$"
        ),
    ]
