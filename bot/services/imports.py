"""Onboarding a town from its spreadsheets: the volunteers' and the followed persons' CSV files, validated
whole and line by line, then written in one transaction, or not at all when a line is rejected. Importing
the same file again changes nothing. Used by the command line and by coordinators sending the file."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from babel import Locale

from bot.domain.persons import VISIT_FREQUENCIES, AddressForm
from bot.domain.reports import NEEDS
from bot.domain.slots import Slot
from bot.domain.volunteers import Gender, VolunteerKind
from bot.i18n import SUPPORTED, Translations
from bot.imports.records import (
    PERSON_COLUMNS,
    PERSON_REQUIRED,
    VOLUNTEER_COLUMNS,
    VOLUNTEER_REQUIRED,
    Parsed,
    Place,
    Planned,
    Vocabularies,
    parse_person,
    parse_volunteer,
    plan,
)
from bot.imports.report import ImportKind, ImportReport
from bot.imports.table import Row, column_key, decode, read_table
from bot.services.addresses import AddressService, LookupOutcome
from bot.services.streets import StreetService
from bot.storage.invitation_codes import new_code
from bot.storage.persons import PersonRepository
from bot.storage.uploads import ImportUploadRepository
from bot.storage.volunteer_invitations import VolunteerInvitationRepository

# Hears (addresses looked up so far, distinct addresses in the file) as a long import goes.
Progress = Callable[[int, int], None] | None

# The actor of imports run from the command line, in the audit log and as the approver of the volunteers.
COMMAND_LINE = 0
# A town's list is a few hundred lines, some tens of kilobytes; a bigger document is not one of ours.
MAX_UPLOAD_BYTES = 1_000_000

# What people write in a spreadsheet for each closed list, besides our own ids and catalogue labels.
KIND_WORDS = {
    "service civique": VolunteerKind.SERVICE_CIVIQUE,
    "civic service": VolunteerKind.SERVICE_CIVIQUE,
    "volontaire": VolunteerKind.SERVICE_CIVIQUE,
    "sc": VolunteerKind.SERVICE_CIVIQUE,
    "agent": VolunteerKind.AGENT_MUNICIPAL,
    "municipal agent": VolunteerKind.AGENT_MUNICIPAL,
    "volunteer": VolunteerKind.BENEVOLE,
}
NEED_WORDS = {
    "mobility": ("mobilité", "se déplacer", "déplacements", "transport", "mobility"),
    "meals": ("repas", "portage de repas", "meals", "meal delivery"),
    "leisure": ("loisirs", "sorties", "accès aux loisirs", "leisure"),
    "company": (
        "compagnie",
        "visite de courtoisie",
        "visites de courtoisie",
        "courtoisie",
        "company",
        "courtesy visits",
    ),
    "digital": ("numérique", "informatique", "aide au numérique", "digital", "digital tools"),
    "chores": ("ménage", "tâches ménagères", "chores", "household chores"),
}
GENDER_WORDS = {
    Gender.FEMALE: ("f", "femme", "female", "woman", "w"),
    Gender.MALE: ("m", "h", "homme", "male", "man"),
}
ADDRESS_WORDS = {
    AddressForm.MADAME: ("madame", "mme", "mme.", "mademoiselle", "mlle", "mrs", "mrs.", "ms", "ms."),
    AddressForm.MONSIEUR: ("monsieur", "m.", "mr", "mr.", "m"),
    AddressForm.FIRST_NAME: ("prénom", "par son prénom", "par le prénom", "first name", "by first name"),
}
CONSENT_WORDS = {
    "oral": ("oral", "orale", "à l'oral", "verbal"),
    "written": ("écrit", "écrite", "par écrit", "signé", "written", "signed"),
    "phone": ("téléphone", "par téléphone", "tél", "phone", "by phone"),
}


def vocabularies(
    slots: Sequence[Slot], languages: Sequence[str], translations: Translations, country: str
) -> Vocabularies:
    """What may be typed in the closed-list columns: our ids, the labels people read in the bot (French and
    English), and the usual words of a French spreadsheet."""

    def lookup(pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
        return {column_key(said): value for said, value in pairs}

    kinds = [(kind.value, kind.value) for kind in VolunteerKind]
    kinds += [
        (translations.get(lang)(f"volunteer.kind.{kind.value}"), kind.value)
        for kind in VolunteerKind
        for lang in SUPPORTED
    ]
    kinds += [(said, kind.value) for said, kind in KIND_WORDS.items()]
    language_names = [(code, code) for code in languages]
    language_names += [
        (str(Locale.parse(lang).languages.get(code, code)), code) for code in languages for lang in SUPPORTED
    ]
    return Vocabularies(
        country=country,
        kinds=lookup(kinds),
        slots=lookup([(slot.id, slot.id) for slot in slots]),
        languages=lookup(language_names),
        language_order=tuple(languages),
        slot_order=tuple(slot.id for slot in slots),
        needs=lookup([(need, need) for need in NEEDS] + [(w, n) for n, said in NEED_WORDS.items() for w in said]),
        need_order=NEEDS,
        genders=lookup([(w, g.value) for g, said in GENDER_WORDS.items() for w in said]),
        consents=lookup([(w, how) for how, said in CONSENT_WORDS.items() for w in said]),
        address_forms=lookup(
            [(w, form.value) for form, said in ADDRESS_WORDS.items() for w in said]
            + [(translations.get(lang)(f"person.called.{f.value}"), f.value) for f in AddressForm for lang in SUPPORTED]
        ),
        visit_frequencies=VISIT_FREQUENCIES,
    )


def _full_name(fields: Mapping[str, object]) -> str:
    return f"{fields.get('first_name', '')} {fields.get('last_name', '')}".strip()


@dataclass(frozen=True, slots=True)
class _Spec:
    columns: Mapping[str, tuple[str, ...]]
    required: tuple[tuple[str, ...], ...]
    place_column: str
    parse: Callable[[Row, Vocabularies, Mapping[str, Place | None]], Parsed]


SPECS = {
    ImportKind.VOLUNTEERS: _Spec(VOLUNTEER_COLUMNS, VOLUNTEER_REQUIRED, "street", parse_volunteer),
    ImportKind.PERSONS: _Spec(PERSON_COLUMNS, PERSON_REQUIRED, "address", parse_person),
}
# Columns only one of the two files has: how a file sent to the bot is recognised.
DISTINCTIVE = {
    ImportKind.VOLUNTEERS: ("kind", "capacity", "experienced", "gender"),
    ImportKind.PERSONS: ("needs", "visits_per_month", "consent", "address"),
}


@dataclass(frozen=True, slots=True)
class Received:
    """A file a coordinator sent: its report, and the upload to confirm when there is something to write."""

    report: ImportReport | None
    upload_id: int | None = None


class ImportService:
    def __init__(
        self,
        streets: StreetService,
        addresses: AddressService,
        persons: PersonRepository,
        invitations: VolunteerInvitationRepository,
        uploads: ImportUploadRepository,
        words: Vocabularies,
        invitation_days: int,
        new_code: Callable[[], str] = new_code,
    ) -> None:
        self._streets = streets
        self._addresses = addresses
        self._persons = persons
        self._invitations = invitations
        self._uploads = uploads
        self._words = words
        self._new_code = new_code
        self._invitation_days = invitation_days

    async def check(self, kind: ImportKind, data: bytes, progress: Progress = None) -> ImportReport:
        """What importing the file would do, line by line; nothing is written. `progress` hears how many of
        the file's addresses are found so far (each may take a call to the national address API)."""
        report, _writes = await self._review(kind, data, progress)
        return report

    async def apply(self, kind: ImportKind, data: bytes, actor: int, progress: Progress = None) -> ImportReport:
        """Write the whole file in one transaction, or nothing when any line is rejected."""
        report, writes = await self._review(kind, data, progress)
        if report.rejected:
            return report
        updates = {w.key: w.fields for w in writes if w.exists}
        if kind == ImportKind.VOLUNTEERS:
            creates = {
                w.key: (self._new_code(), {"kind": VolunteerKind.BENEVOLE.value, **w.fields})
                for w in writes
                if not w.exists
            }
            await self._invitations.save_import(creates, updates, actor, self._invitation_days)
            # Shown once, to whoever imported: only their hashes are kept.
            links = tuple((_full_name(fields), code) for code, fields in creates.values())
            return dataclasses.replace(report, applied=True, links=links)
        await self._persons.save_import({w.key: w.fields for w in writes if not w.exists}, updates, actor)
        return dataclasses.replace(report, applied=True)

    def detect(self, data: bytes) -> ImportKind | None:
        """Which of the two files this is, from the columns of its header; None when it reads as neither."""
        best: ImportKind | None = None
        best_score = -1
        for kind, spec in SPECS.items():
            table = read_table(data, spec.columns, spec.required)
            if table.problem is not None:
                continue
            score = sum(1 for column in DISTINCTIVE[kind] if column in table.columns)
            if score > best_score:
                best, best_score = kind, score
        return best

    async def receive(self, coordinator: int, file_name: str, data: bytes) -> Received:
        """A file sent to the bot: validated, and kept (never trusted from a button) until confirmed."""
        kind = self.detect(data)
        if kind is None:
            return Received(None)
        report = await self.check(kind, data)
        if report.rejected or report.changes == 0:
            return Received(report)
        # Kept as the text it was read as, so that the sealed copy is exactly what the report was made from.
        upload_id = await self._uploads.keep(coordinator, kind.value, file_name[:200], decode(data))
        return Received(report, upload_id)

    async def apply_upload(self, coordinator: int, upload_id: int) -> ImportReport | None:
        """None when this coordinator has no such file waiting (applied, dropped, replaced or not theirs)."""
        upload = await self._uploads.get(upload_id, coordinator)
        if upload is None or upload.content is None:
            return None
        report = await self.apply(ImportKind(upload.kind), upload.content.encode(), coordinator)
        await self._uploads.finish(upload.id, "applied" if report.applied else "dropped")
        return report

    async def drop_upload(self, coordinator: int, upload_id: int) -> bool:
        upload = await self._uploads.get(upload_id, coordinator)
        if upload is None or upload.content is None:
            return False
        await self._uploads.finish(upload.id, "dropped")
        return True

    async def _review(self, kind: ImportKind, data: bytes, progress: Progress) -> tuple[ImportReport, list[Planned]]:
        spec = SPECS[kind]
        table = read_table(data, spec.columns, spec.required)
        if table.problem is not None:
            return ImportReport(kind, problem=table.problem), []
        places = await self._places(
            [row.values[spec.place_column] for row in table.rows if spec.place_column in row.values], progress
        )
        parsed = [spec.parse(row, self._words, places) for row in table.rows]
        keys = {line.key for line in parsed}
        existing: dict[str, Mapping[str, object]]
        settled: set[str] = set()
        if kind == ImportKind.VOLUNTEERS:
            volunteers = await self._invitations.by_keys(keys)
            existing = {key: record.model_dump() for key, record in volunteers.items()}
            settled = {key for key, record in volunteers.items() if record.claimed_by is not None}
        else:
            existing = {key: record.model_dump() for key, record in (await self._persons.imported(keys)).items()}
        lines, writes = plan(parsed, existing, settled)
        return ImportReport(kind, tuple(lines), ignored_columns=table.ignored_columns), writes

    async def _places(self, texts: Sequence[str], progress: Progress) -> dict[str, Place | None]:
        """Each distinct street or address of the file, found among the town's streets (the address service
        asks the national address API when it is online, the imported streets otherwise)."""
        places: dict[str, Place | None] = {}
        distinct = list(dict.fromkeys(texts))
        for done, text in enumerate(distinct, start=1):
            if progress is not None:
                progress(done, len(distinct))
            found = await self._addresses.lookup(text, limit=1)
            if found.outcome != LookupOutcome.FOUND:
                places[text] = None
                continue
            address = found.choices[0]
            street = await self._streets.get(address.street_id) if address.street_id is not None else None
            places[text] = (
                Place(street.id, street.name, street.neighbourhood, address.lat, address.lon)
                if street and address.lat is not None and address.lon is not None
                else None
            )
        return places
