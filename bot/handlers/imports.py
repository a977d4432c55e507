"""A coordinator sends a volunteers' or persons' CSV file to the bot: the validation report comes back, and
one button imports it. The file waits on the server between the two; the button names it, nothing more."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.domain.actions.imports import ApplyImport, DropImport
from bot.domain.callbacks import Button
from bot.domain.roles import Role
from bot.handlers import invitations
from bot.handlers.access import on, requires
from bot.handlers.common import Context, answer, buttons
from bot.imports.report import short_text
from bot.services.imports import MAX_UPLOAD_BYTES

CSV_TYPES = frozenset(
    {"text/csv", "text/plain", "text/comma-separated-values", "application/csv", "application/vnd.ms-excel"}
)


@requires(Role.COORDINATOR, refusal="import.document_refused")
async def document_received(update: Update, context: Context) -> None:
    _ = await context.translator()
    message, user = update.message, update.effective_user
    assert message is not None and message.document is not None and user is not None
    document = message.document
    name = document.file_name or "import.csv"
    if not name.lower().endswith((".csv", ".txt")) and document.mime_type not in CSV_TYPES:
        await answer(update, _("import.not_csv"))
        return
    if (document.file_size or 0) > MAX_UPLOAD_BYTES:
        await answer(update, _("import.too_big"))
        return
    data = bytes(await (await document.get_file()).download_as_bytearray())
    if len(data) > MAX_UPLOAD_BYTES:
        await answer(update, _("import.too_big"))
        return
    received = await context.services.imports.receive(user.id, name, data)
    if received.report is None:
        await answer(update, _("import.unknown_kind"))
        return
    rows = []
    if received.upload_id is not None:
        rows = [
            [Button("button.import_apply", ApplyImport(received.upload_id))],
            [Button("button.import_drop", DropImport(received.upload_id))],
        ]
    await answer(update, short_text(_, received.report), buttons(_, rows))


async def apply_pressed(update: Update, context: Context, pressed: ApplyImport) -> None:
    _ = await context.translator()
    user = update.effective_user
    assert user is not None
    report = await context.services.imports.apply_upload(user.id, pressed.upload_id)
    if report is None:
        await answer(update, _("import.upload_gone"))
        return
    await answer(update, short_text(_, report))
    if report.links:
        await invitations.send_links(update, context, report.links)


async def drop_pressed(update: Update, context: Context, pressed: DropImport) -> None:
    _ = await context.translator()
    user = update.effective_user
    assert user is not None
    dropped = await context.services.imports.drop_upload(user.id, pressed.upload_id)
    await answer(update, _("import.dropped") if dropped else _("import.upload_gone"))


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        MessageHandler(filters.Document.ALL, document_received),
        on(ApplyImport, apply_pressed),
        on(DropImport, drop_pressed),
    ]
