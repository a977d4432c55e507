"""Everything a handler may call, built once at start from the settings and the open database: services
only (and the settings they were built from); the repositories stay inside the services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.geo.geocoder import BanGeocoder, Geocoder
from bot.i18n import Translations
from bot.services.access import AccessService
from bot.services.addresses import AddressService
from bot.services.availability import AvailabilityService
from bot.services.desk_views import DeskViewService
from bot.services.drafts import DraftService
from bot.services.imports import ImportService, vocabularies
from bot.services.indicators import IndicatorService
from bot.services.invitations import InvitationService
from bot.services.menus import MenuService
from bot.services.notifications import Notifier
from bot.services.open_calls import OpenCallService
from bot.services.outings import route_rules
from bot.services.people import PeopleService
from bot.services.persons import PersonService
from bot.services.planning import PlanningService
from bot.services.privacy import PrivacyService
from bot.services.publication import PublicationService
from bot.services.registration import RegistrationService
from bot.services.reminders import ReminderService
from bot.services.repairs import Repairs
from bot.services.reports import ReportService
from bot.services.roles import RoleService
from bot.services.streets import StreetService
from bot.services.visit_answers import AnswerService
from bot.services.visit_calendar import VisitCalendar
from bot.services.visit_outcomes import OutcomeService
from bot.services.visit_sender import VisitSender
from bot.storage.access import AccessRepository
from bot.storage.audit import AuditRepository
from bot.storage.database import Database
from bot.storage.desk import DeskRepository
from bot.storage.erasure_journal import ErasureJournal
from bot.storage.geocache import GeocodeCache
from bot.storage.inbox import InboxRepository
from bot.storage.indicators import IndicatorRepository
from bot.storage.invitations import ProfessionalInvitationRepository
from bot.storage.menus import MenuRepository
from bot.storage.open_calls import OpenCallRepository
from bot.storage.persons import PersonRepository
from bot.storage.privacy import PrivacyRepository
from bot.storage.profiles import ProfileRepository
from bot.storage.reports import ReportRepository
from bot.storage.roles import RoleRepository
from bot.storage.streets import StreetRepository
from bot.storage.uploads import ImportUploadRepository
from bot.storage.users import UserRepository
from bot.storage.visits import VisitRepository
from bot.storage.volunteer_invitations import VolunteerInvitationRepository
from bot.storage.volunteers import VolunteerRepository


@dataclass
class Services:
    settings: Settings
    people: PeopleService
    roles: RoleService
    streets: StreetService
    registration: RegistrationService
    access: AccessService
    availability: AvailabilityService
    planning: PlanningService
    addresses: AddressService
    reports: ReportService
    persons: PersonService
    calendar: VisitCalendar
    publication: PublicationService
    visit_answers: AnswerService
    visit_outcomes: OutcomeService
    reminders: ReminderService
    drafts: DraftService
    open_calls: OpenCallService
    imports: ImportService
    invitations: InvitationService
    privacy: PrivacyService
    indicators: IndicatorService
    desk: DeskViewService
    menus: MenuService


def town_today(settings: Settings) -> Callable[[], date]:
    """Today in the town's time zone, not the server's: a check-in due on the 14th is due from midnight there."""
    zone = ZoneInfo(settings.reports.timezone)
    return lambda: datetime.now(zone).date()


def build_services(
    settings: Settings,
    db: Database,
    translations: Translations,
    notifier: Notifier,
    *,
    today: Callable[[], date] | None = None,
    geocoder: Geocoder | None = None,
    planned_in: Callable[[float], object] = lambda _seconds: None,
) -> Services:
    """`today` and `geocoder` replace the town's clock and the national address API (tests give fakes);
    `planned_in` hears how long each planning took."""
    today = today or town_today(settings)
    users = UserRepository(db)
    volunteers = VolunteerRepository(db)
    street_repo = StreetRepository(db)
    roles = RoleService(RoleRepository(db), frozenset(settings.people.coordinators))
    streets = StreetService(street_repo, settings.town)
    report_repo = ReportRepository(db)
    person_repo = PersonRepository(db)
    invitation_repo = VolunteerInvitationRepository(db)
    professional_invitations = ProfessionalInvitationRepository(db)
    visit_repo = VisitRepository(db)
    profiles = ProfileRepository(db, settings.volunteers.default_capacity, settings.volunteers.languages[0])
    availability = AvailabilityService(
        profiles,
        streets,
        settings.slots,
        settings.volunteers,
        settings.planning,
        visit_repo,
    )
    planning = PlanningService(availability, person_repo, tuple(settings.slots), settings.planning, planned_in)
    online = geocoder
    # The national address API answers for French towns only.
    if online is None and settings.geocoding.online and settings.town.country == "FR":
        online = BanGeocoder(timeout_s=settings.geocoding.timeout_s)
    addresses = AddressService(streets, street_repo, GeocodeCache(db), settings.town, online)
    calendar = VisitCalendar(settings.slots, settings.reports.timezone)
    sender = VisitSender(visit_repo, users, profiles, notifier, calendar, settings.visits.hub_name)
    rules = route_rules(settings.planning, settings.visits)
    repairs = Repairs(visit_repo, planning, rules)
    answers = AnswerService(visit_repo, repairs, sender, roles, calendar, db.transaction)
    outcomes = OutcomeService(visit_repo, users, roles, sender, calendar, db.transaction)
    registration = RegistrationService(
        professional_invitations, volunteers, street_repo, roles, notifier, settings.invitations.valid_days
    )
    return Services(
        settings=settings,
        people=PeopleService(users, translations),
        roles=roles,
        streets=streets,
        registration=registration,
        access=AccessService(AccessRepository(db), registration, answers, roles, notifier),
        availability=availability,
        planning=planning,
        addresses=addresses,
        reports=ReportService(report_repo, person_repo, users, roles, notifier, settings.limits, today),
        persons=PersonService(
            person_repo,
            report_repo,
            roles,
            notifier,
            settings.reports.bereavement_checkin_days,
            [slot.id for slot in settings.slots],
            settings.volunteers.languages,
            settings.town.country,
            today,
        ),
        calendar=calendar,
        publication=PublicationService(visit_repo, planning, sender, calendar, rules, db.transaction),
        visit_answers=answers,
        visit_outcomes=outcomes,
        reminders=ReminderService(visit_repo, outcomes, sender, calendar, settings.visits),
        open_calls=OpenCallService(
            OpenCallRepository(db),
            visit_repo,
            repairs,
            sender,
            calendar,
            planning,
            person_repo,
            streets,
            roles,
            settings,
            db.transaction,
        ),
        drafts=DraftService(visit_repo, planning, users, settings.slots, settings.planning, settings.visits),
        imports=ImportService(
            streets,
            addresses,
            person_repo,
            invitation_repo,
            ImportUploadRepository(db),
            vocabularies(settings.slots, settings.volunteers.languages, translations, settings.town.country),
            settings.invitations.valid_days,
        ),
        invitations=InvitationService(
            invitation_repo, professional_invitations, roles, notifier, settings.invitations.valid_days
        ),
        privacy=PrivacyService(
            db,
            InboxRepository(db),
            PrivacyRepository(db),
            AuditRepository(db),
            # Beside the live database's path, not the database being read: a restore reads a copy elsewhere.
            ErasureJournal(settings.privacy.journal_path(settings.storage.db_path), db),
            answers,
            settings.privacy,
            settings.backup,
        ),
        indicators=IndicatorService(IndicatorRepository(db), settings.reports.timezone, today),
        desk=DeskViewService(DeskRepository(db), streets, street_repo, visit_repo, users, settings, calendar),
        menus=MenuService(roles, MenuRepository(db)),
    )
