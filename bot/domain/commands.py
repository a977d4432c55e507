"""Every command the bot answers, declared once with the roles allowed to send it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.roles import COORDINATORS, EVERYONE, NEIGHBOURS, STAFF, VOLUNTEERS, Role


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    roles: frozenset[Role]

    def __post_init__(self) -> None:
        if not self.roles:
            raise TypeError(f"/{self.name}: a command says who may send it")


START = Command("start", EVERYONE)
HELP = Command("help", EVERYONE)
LANGUAGE = Command("language", EVERYONE)
CANCEL = Command("cancel", EVERYONE)
NEIGHBOUR = Command("neighbour", EVERYONE)
VOLUNTEER = Command("volunteer", EVERYONE)
REPORT = Command("report", EVERYONE)
MY_REPORTS = Command("myreports", EVERYONE)
SELF_TEST = Command("selftest", EVERYONE)
MY_DATA = Command("mydata", EVERYONE)
FORGET = Command("forget", EVERYONE)
MY_STREETS = Command("mystreets", NEIGHBOURS)
PROFILE = Command("profile", VOLUNTEERS)
AVAILABILITY = Command("availability", VOLUNTEERS)
PERSONS = Command("persons", STAFF)
NEW_REPORT = Command("newreport", COORDINATORS)
PENDING = Command("pending", COORDINATORS)
INVITE_PRO = Command("invitepro", COORDINATORS)
REPORTS = Command("reports", COORDINATORS)
GRID = Command("grid", COORDINATORS)
AUDIT = Command("audit", COORDINATORS)
INVITATIONS = Command("invitations", COORDINATORS)
COVERAGE = Command("coverage", COORDINATORS)
STATS = Command("stats", COORDINATORS)
PLAN = Command("plan", COORDINATORS)
WEEK = Command("week", COORDINATORS)
TEAM = Command("team", COORDINATORS)

COMMANDS = (
    START,
    HELP,
    LANGUAGE,
    CANCEL,
    NEIGHBOUR,
    VOLUNTEER,
    REPORT,
    MY_REPORTS,
    SELF_TEST,
    MY_DATA,
    FORGET,
    MY_STREETS,
    PROFILE,
    AVAILABILITY,
    PERSONS,
    NEW_REPORT,
    PENDING,
    INVITE_PRO,
    REPORTS,
    GRID,
    AUDIT,
    INVITATIONS,
    COVERAGE,
    STATS,
    PLAN,
    WEEK,
    TEAM,
)
