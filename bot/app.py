"""Builds the PTB application: inbox-backed bot, SQLite persistence, rate limiter, handlers, error handler."""

from __future__ import annotations

import asyncio
import functools
import logging
import signal
import warnings
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date
from zoneinfo import ZoneInfo

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, ApplicationBuilder, Defaults
from telegram.request import HTTPXRequest
from telegram.warnings import PTBUserWarning
from tornado.httpserver import HTTPServer

from bot.cli.database import open_settings_database
from bot.config import ConfigError, Settings
from bot.geo.geocoder import Geocoder
from bot.handlers import (
    coordinator_grid,
    coordinator_volunteers,
    coverage,
    desk_limits,
    fallback,
    guards,
    imports,
    invitations,
    menus,
    neighbour,
    open_calls,
    persons,
    plan_edits,
    privacy,
    report,
    selftest,
    start,
    stats,
    team,
    triage,
    visits,
    volunteer_profile,
    volunteer_signup,
)
from bot.handlers.common import CONTEXT_TYPES, Context
from bot.handlers.drafts import Drafts
from bot.handlers.keyboards import inline_keyboard
from bot.handlers.mini_app import set_menu_buttons
from bot.handlers.timers import wake_queue_in
from bot.i18n import Translations
from bot.runtime.health import ApiHealth, until_reachable
from bot.runtime.inbox import InboxApplication, InboxBot
from bot.runtime.metrics import Metrics, Watched, monitoring_routes
from bot.runtime.notifier import OutboxNotifier, OutboxWorker
from bot.runtime.ordering import PerPersonUpdateProcessor
from bot.runtime.persistence import SqlitePersistence
from bot.runtime.web_server import start_web_server
from bot.runtime.webhook import start_webhook
from bot.services.container import Services, build_services
from bot.services.privacy import protect_files
from bot.storage.database import Database
from bot.storage.inbox import InboxRepository
from bot.storage.outbox import OutboxRepository
from bot.storage.sealing import unlock
from bot.storage.state import StateRepository
from bot.webapp.desk import Desk
from bot.webapp.server import start_webapp

log = logging.getLogger(__name__)
# Our conversations mix buttons and typed text on purpose, so they are tracked per user, not per message.
warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)

POLL_TIMEOUT_S = 30
# Beyond a few dozen, updates only wait on the database's single writer.
CONCURRENT_UPDATES = 32


async def on_error(update: object, context: Context) -> None:
    # Only the kind of error and the update id: an update's content may hold personal data.
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("handler.error update_id=%s error=%s", update_id, type(context.error).__name__, exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        _ = await context.translator()
        await update.effective_chat.send_message(_("error.generic"))


def build_application(
    settings: Settings,
    db: Database,
    translations: Translations,
    *,
    today: Callable[[], date] | None = None,
    geocoder: Geocoder | None = None,
) -> InboxApplication:
    """`today` and `geocoder` stand in for the town's clock and the address API (tests give fakes)."""
    outbox = OutboxRepository(db)
    notifier = OutboxNotifier(outbox)
    metrics = Metrics.create()
    svc = build_services(
        settings,
        db,
        translations,
        notifier,
        today=today,
        geocoder=geocoder,
        planned_in=metrics.planning_seconds.observe,
    )
    inbox = InboxRepository(db)
    timeout_s = settings.telegram.request_timeout_s
    bot = InboxBot(
        settings.require_token(),
        base_url=settings.telegram.bot_url,
        base_file_url=settings.telegram.file_url,
        request=HTTPXRequest(connection_pool_size=16, read_timeout=timeout_s, write_timeout=timeout_s),
        # PTB adds the poll's own timeout to this.
        get_updates_request=HTTPXRequest(read_timeout=timeout_s),
        defaults=Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)),
        rate_limiter=AIORateLimiter(overall_max_rate=settings.telegram.max_messages_per_second, max_retries=5),
        inbox=inbox,
        health=ApiHealth(),
    )
    application = (
        ApplicationBuilder()
        .bot(bot)
        .application_class(InboxApplication, kwargs={"inbox": inbox, "metrics": metrics})
        .persistence(SqlitePersistence(StateRepository(db), Drafts.restored))
        .context_types(CONTEXT_TYPES)
        .concurrent_updates(PerPersonUpdateProcessor(CONCURRENT_UPDATES))
        .build()
    )
    assert isinstance(application, InboxApplication)
    application.bot_data["services"] = svc
    application.bot_data["database"] = db
    application.bot_data["outbox_worker"] = OutboxWorker(
        outbox,
        bot,
        svc.people.translator_for,
        # A queued "See on a map" opens the Mini App at the address it has when the notice goes.
        functools.partial(inline_keyboard, webapp_url=settings.webapp.public_url),
        notifier.wake,
        ApiHealth("sending"),
        settings.telegram.per_chat_interval_s,
    )
    application.add_handlers(guards.handlers(), group=-1)
    for module in (
        start,
        neighbour,
        volunteer_signup,
        coordinator_volunteers,
        team,
        report,
        triage,
        persons,
        volunteer_profile,
        coordinator_grid,
        invitations,
        imports,
        coverage,
        visits,
        plan_edits,
        open_calls,
        privacy,
        stats,
        selftest,
        desk_limits,
    ):
        application.add_handlers(module.handlers(), group=0)
    assert application.job_queue is not None
    digest_at = settings.reports.digest_time.replace(tzinfo=ZoneInfo(settings.reports.timezone))
    application.job_queue.run_daily(triage.send_digest, digest_at, name="reports.digest")
    privacy_at = settings.privacy.daily_time.replace(tzinfo=ZoneInfo(settings.reports.timezone))
    application.job_queue.run_daily(privacy.daily, privacy_at, name="privacy.daily")
    # Bereavement check-ins live in the database, not in the job queue: the daily job reminds what is due, and
    # the run at start what fell due while the bot was stopped. Each is reminded once (marked, and deduplicated).
    application.job_queue.run_daily(persons.remind_checkins, digest_at, name="persons.checkins")
    application.job_queue.run_once(persons.remind_checkins, 1, name="persons.checkins.at_start")
    # Reminders live in the database: at start, what is due is sent and the next one is scheduled.
    application.job_queue.run_once(visits.tick, 1, name=visits.TICK_JOB)
    # Open calls end at a moment kept in the database: at start, what ended meanwhile is settled.
    application.job_queue.run_once(open_calls.tick, 1, name=open_calls.TICK_JOB)
    # Same group, last: within a group only the first matching handler runs, so the hints answer only
    # what no flow took (in group 1 they would also answer every command a flow had handled).
    application.add_handlers(fallback.handlers(), group=0)
    application.add_error_handler(on_error)
    return application


@asynccontextmanager
async def running(
    settings: Settings,
    poll_timeout: float = POLL_TIMEOUT_S,
    *,
    today: Callable[[], date] | None = None,
    geocoder: Geocoder | None = None,
) -> AsyncIterator[InboxApplication]:
    """The bot polling and processing, with what a previous run left in the inbox processed first."""
    protect_files(settings.storage.db_path, settings.privacy, settings.backup)
    db = await open_settings_database(settings)
    translations = Translations(settings.i18n.default_language)
    web: HTTPServer | None = None
    try:
        await unlock(db, settings.privacy.data_key, settings.privacy.key_path(db.path))
        application = build_application(settings, db, translations, today=today, geocoder=geocoder)
        svc: Services = services_of(application)
        # A backup copied back by hand gets the erasures made since it was taken before anyone is served.
        await svc.privacy.settle_restored()
        await svc.streets.refresh()
        starting = ApiHealth("starting")
        if settings.web.enabled:
            # Up before Telegram answers: while the bot waits for it, the health check says so.
            web = start_web_server(settings.web, monitoring_routes(watched(application, starting)))
        # Initialized here, until Telegram answers: `async with` below then finds it done.
        await until_reachable(application.initialize, starting)
        async with application:
            await until_reachable(lambda: menus.publish_public_menu(application.bot, translations), starting)
            # Before anything runs: a port already taken stops the start with one line.
            mini_app = None
            if settings.webapp.enabled:
                mini_app = serve_mini_app(settings, Desk(svc, reminders_waker(application)))
                await set_menu_buttons(application, svc)
            replayed = await application.replay_pending()
            log.info("bot.started username=%s replayed=%s", application.bot.username, replayed)
            if not settings.people.coordinators:
                log.warning(
                    "people.no_coordinator: nobody can approve volunteers, triage reports or plan; set "
                    "BOT_COORDINATORS (or people.coordinators) to the numeric Telegram id of the coordinator"
                )
            await application.start()
            worker = application.bot_data["outbox_worker"]
            assert isinstance(worker, OutboxWorker)
            delivery = asyncio.create_task(worker.run(), name="outbox")
            # In the background: a town's hundreds of volunteers need not wait for their menus to start.
            keeping_menus = asyncio.create_task(menus.keep_every_menu(application.bot, svc), name="menus")
            webhook = None
            if settings.telegram.mode == "webhook":
                webhook = await start_webhook(application, settings.telegram.webhook)
            else:
                assert application.updater is not None
                await application.updater.start_polling(
                    timeout=int(poll_timeout), poll_interval=0, error_callback=bot_health(application).failed_call
                )
            try:
                yield application
            finally:
                if mini_app is not None:
                    mini_app.stop()
                if webhook is not None:
                    webhook.stop()
                elif application.updater is not None:
                    await application.updater.stop()
                await worker.stop(delivery, grace_s=settings.telegram.request_timeout_s)
                keeping_menus.cancel()
                await application.stop()
    finally:
        if web is not None:
            web.stop()
        await db.close()


def watched(application: InboxApplication, starting: ApiHealth) -> Watched:
    bot, worker = application.bot, application.bot_data["outbox_worker"]
    assert isinstance(bot, InboxBot) and isinstance(worker, OutboxWorker)
    db = application.bot_data["database"]
    assert isinstance(db, Database)
    incidents = (starting, bot.health, worker.health, bot.disk, worker.disk)
    return Watched(application.metrics, InboxRepository(db), OutboxRepository(db), incidents)


def serve_mini_app(settings: Settings, desk: Desk) -> HTTPServer:
    try:
        return start_webapp(desk, settings.require_token())
    except OSError as exc:
        web = settings.webapp
        raise ConfigError(
            "webapp.cannot_listen", address=web.listen, port=web.port, reason=exc.strerror or str(exc)
        ) from None


def reminders_waker(application: InboxApplication) -> Callable[[], None]:
    """After the Mini App changed the week, look again at once: new reminders may be due sooner."""

    def wake() -> None:
        assert application.job_queue is not None
        wake_queue_in(application.job_queue, visits.tick, visits.TICK_JOB, 1)

    return wake


def bot_health(application: InboxApplication) -> ApiHealth:
    assert isinstance(application.bot, InboxBot)
    return application.bot.health


def services_of(application: InboxApplication) -> Services:
    found = application.bot_data["services"]
    assert isinstance(found, Services)
    return found


def database_of(application: InboxApplication) -> Database:
    """The application's database, for what the composition root and the tests set up around the services."""
    found = application.bot_data["database"]
    assert isinstance(found, Database)
    return found


async def serve(settings: Settings) -> None:
    """Until SIGTERM or SIGINT, which cancel whatever is under way, waiting for Telegram at start included;
    `running` then stops everything in order."""
    main = asyncio.current_task()
    assert main is not None
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, main.cancel)
    try:
        async with running(settings):
            await asyncio.Event().wait()
    except asyncio.CancelledError:
        log.info("bot.stopped")


__all__ = ["build_application", "running", "serve"]
