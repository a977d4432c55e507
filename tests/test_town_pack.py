"""A town outside France runs the bot from its town pack: Jumilla (Spain) in Spanish, end to end. A neighbour
types a street of Jumilla, ticks a sign and sends; the coordinator plans the week and publishes it; a volunteer
gets the outing. Every message is the Spanish catalogue's, and none is French."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import running
from bot.config import ConfigError, Settings, load_settings
from bot.domain.phones import example, town_phone
from bot.geo.street_sources import parse_plain_csv, read_osm, read_shipped
from bot.i18n import Safe, Translations
from bot.runtime.inbox import InboxApplication
from tests.catalogue import says
from tests.conftest import COORDINATOR_ID, rows, settings_for
from tests.desk import reference_in
from tests.fake_bot_api import FakeBotApi
from tests.telegram_users import FakeUser
from tests.test_catalogues import catalogue
from tests.test_visits import WEEK, at, fixed_clock
from tests.town import Member, Resident, seed_town

CARMEN, ANTONIO, LOLA = 801, 802, 803
# A fragment of a message: the catalogue's words between placeholders and tags.
LITERAL = re.compile(r"\{\w+\}|<[^>]+>|&\w+;|\n")


def said(key: str) -> list[str]:
    """The words of a Spanish catalogue message that do not depend on its parameters, as a reader sees them."""
    text = catalogue("es")[key]
    assert isinstance(text, str)
    return [html.unescape(part.strip()) for part in LITERAL.split(text) if len(part.strip()) > 3]


def french_sentences() -> set[str]:
    """Stretches of French catalogue text long enough to be French only (not a name, a number or an emoji)."""
    french = Translations("fr").get("fr")
    spanish = Translations("fr").get("es")
    found = set()
    for key in _keys():
        for part in LITERAL.split(french(key)):
            words = part.strip(" •:;,.!?()«»–—-")
            if len(words) >= 14 and words not in spanish(key):
                found.add(words)
    return found


def _keys() -> list[str]:
    return [key for key, text in catalogue("fr").items() if isinstance(text, str)]


@pytest.fixture
def jumilla(fake_api: FakeBotApi, db_path: Path, tmp_path: Path) -> Settings:
    """The town's own configuration file names its pack and nothing else."""
    config = tmp_path / "config.toml"
    config.write_text('[town]\npack = "jumilla"\n', encoding="utf-8")
    loaded = settings_for(fake_api, db_path, config)
    return loaded.model_copy(update={"planning": loaded.planning.model_copy(update={"time_limit_s": 2.0})})


@pytest.fixture
async def jumilla_bot(jumilla: Settings, db_path: Path) -> AsyncIterator[InboxApplication]:
    members = [Member(ANTONIO, "Antonio", ("tue-pm", "thu-pm")), Member(LOLA, "Lola", ("tue-pm", "thu-pm"))]
    residents = [Resident("Josefa Lozano", "Calle Cánovas del Castillo, 12", (38.4790, -1.3246))]
    await seed_town(db_path, members, residents)
    async with running(jumilla, poll_timeout=1) as application:
        fixed_clock(application, at(1, 10))
        yield application


def test_the_pack_gives_the_town_its_country_language_time_and_numbers(jumilla: Settings) -> None:
    assert (jumilla.town.name, jumilla.town.country, jumilla.town.insee_code) == ("Jumilla", "ES", "")
    assert (jumilla.i18n.default_language, jumilla.reports.timezone) == ("es", "Europe/Madrid")
    assert jumilla.emergency.numbers() == [("medical", "061"), ("police", "062"), ("european", "112")]
    assert jumilla.slots[1].start.hour == 17  # afternoons after the midday break


def test_a_town_file_overrides_its_pack_and_an_unknown_pack_is_named(tmp_path: Path) -> None:
    own = tmp_path / "config.toml"
    own.write_text('[town]\npack = "jumilla"\nradius_m = 9000\n\n[emergency]\npolice = "091"\n', encoding="utf-8")
    settings = load_settings(own, environ={})
    assert (settings.town.radius_m, settings.town.name, settings.emergency.police) == (9000, "Jumilla", "091")
    own.write_text('[town]\npack = "atlantis"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"town\.pack: no pack named 'atlantis' \(packs shipped: .*jumilla"):
        load_settings(own, environ={})


def test_the_insee_code_and_the_ban_belong_to_french_towns_only(tmp_path: Path) -> None:
    own = tmp_path / "config.toml"
    own.write_text('[town]\npack = "jumilla"\ninsee_code = "47001"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="French towns only"):
        load_settings(own, environ={})
    own.write_text('[town]\ncountry = "FR"\ninsee_code = ""\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="INSEE"):
        load_settings(own, environ={})


@pytest.mark.parametrize(
    ("typed", "country", "kept"),
    [
        ("968 78 20 20", "ES", "968 78 20 20"),
        ("+34968782020", "ES", "968 78 20 20"),
        ("0612345678", "ES", None),  # a French mobile is not a Spanish number without its +33
        ("+33 6 12 34 56 78", "ES", "+33 6 12 34 56 78"),
        ("06.12.34.56.78", "FR", "06 12 34 56 78"),
        ("0033 5 53 66 12 56", "FR", "05 53 66 12 56"),
        ("236 210 500", "PT", "236 210 500"),
        ("06 39 98", "FR", None),
    ],
)
def test_a_phone_number_is_checked_and_written_as_the_town_s_country_does(
    typed: str, country: str, kept: str | None
) -> None:
    assert town_phone(typed, country) == kept
    assert town_phone(example(country), country) == example(country)
    assert town_phone("06 12 34 56 7", "FR") is None  # nine digits: the trunk 0 cannot be read as one


def test_plain_csv_streets_keep_their_neighbourhood_and_report_bad_lines() -> None:
    data = "name;lat;lon;neighbourhood\nCalle Mayor;38.47;-1.32;Centro\n;38.4;-1.3;\nCalle Sol;north;-1.3;\n"
    read = parse_plain_csv(data.encode())
    assert [(s.name, s.neighbourhood, s.insee_code) for s in read.streets] == [("Calle Mayor", "Centro", "")]
    assert [p.line for p in read.problems] == [3, 4]
    shipped = read_shipped("jumilla_streets_sample.csv", "csv")
    assert len(shipped.streets) == 37 and shipped.problems == ()


def test_streets_of_an_openstreetmap_extract_are_its_named_highways(tmp_path: Path) -> None:
    """Two ways of one street become one street at the mean of their nodes; a river and a nameless path do
    not count."""
    extract = tmp_path / "jumilla.osm"
    extract.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="test">
  <node id="1" lat="38.4780" lon="-1.3250"/>
  <node id="2" lat="38.4790" lon="-1.3240"/>
  <node id="3" lat="38.4800" lon="-1.3230"/>
  <node id="4" lat="38.4700" lon="-1.3300"/>
  <node id="5" lat="38.4710" lon="-1.3310"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/>
    <tag k="name" v="Calle Cánovas del Castillo"/></way>
  <way id="11"><nd ref="2"/><nd ref="3"/><tag k="highway" v="residential"/>
    <tag k="name" v="Calle Cánovas del Castillo"/></way>
  <way id="12"><nd ref="4"/><nd ref="5"/><tag k="waterway" v="stream"/><tag k="name" v="Rambla"/></way>
  <way id="13"><nd ref="4"/><nd ref="5"/><tag k="highway" v="footway"/></way>
  <way id="14"><nd ref="4"/><nd ref="5"/><tag k="highway" v="tertiary"/><tag k="name" v="Avenida de Yecla"/></way>
</osm>
""",
        encoding="utf-8",
    )
    read = read_osm(extract)
    assert [s.name for s in read.streets] == ["Avenida de Yecla", "Calle Cánovas del Castillo"]
    canovas = read.streets[1].point
    assert (round(canovas.lat, 4), round(canovas.lon, 4)) == (38.479, -1.324)


async def test_a_neighbour_s_report_and_a_week_s_plan_in_jumilla_speak_spanish_only(
    jumilla_bot: InboxApplication, fake_api: FakeBotApi, db_path: Path
) -> None:
    _ = Translations("es").get("es")
    carmen = FakeUser(fake_api, CARMEN, "Carmen", "es")
    coordinator = FakeUser(fake_api, COORDINATOR_ID, "Rosa", "es")
    antonio, lola = FakeUser(fake_api, ANTONIO, "Antonio", "es"), FakeUser(fake_api, LOLA, "Lola", "es-ES")

    # The neighbour types the street, ticks a sign and sends.
    carmen.send("/report")
    await carmen.expect(*said("report.ask_where"))
    carmen.send("canovas del castillo")
    await carmen.expect(*said("report.pick_address"))
    carmen.press("Calle Cánovas del Castillo")
    await carmen.expect(*said("report.ask_signs"))
    carmen.press(_("sign.shutters"))
    await carmen.expect_button(f"✅ {_('sign.shutters')}")
    carmen.press(_("button.send_report"))
    reference = reference_in(await carmen.expect(*said("report.sent")))
    assert rows(db_path, "SELECT reference, signs FROM reports") == [(reference, '["shutters"]')]

    # A danger: the numbers of Spain and of the town's social services come first.
    carmen.send("/report")
    await carmen.expect(*said("report.ask_where"))
    carmen.tap(_("button.danger_now"))
    numbers = await carmen.expect("061", "062", "112", "968 78 20 20", _("emergency.medical"))
    assert "15" not in re.findall(r"\b\d+\b", numbers.text) and "SAMU" not in numbers.text
    carmen.send("/cancel")

    # The coordinator plans the week and publishes it; the pair gets the outing.
    coordinator.send(f"/plan {WEEK}")
    await coordinator.expect("Semana 10 de 2030", _("plan.status.draft"))
    coordinator.press(_("plan.publish_button"))
    await coordinator.expect(_("plan.published", sent=Safe(_("plan.visits_sent", count=1))))
    for volunteer in (antonio, lola):
        outing = await volunteer.expect("Josefa, Calle Cánovas del Castillo, 12", *said("visit.outing"))
        assert _("visit.confirm_button") in [button["text"] for button in outing.buttons()]

    french = french_sentences()
    for person in (carmen, coordinator, antonio, lola):
        for sent in fake_api.sent_to(person.id):
            shown = sent.text + " ".join(str(b.get("text", "")) for b in sent.buttons())
            assert [sentence for sentence in french if sentence in shown] == [], sent.text


async def test_a_french_speaking_coordinator_in_jumilla_reads_notices_in_french_once_they_have_written(
    jumilla_bot: InboxApplication, fake_api: FakeBotApi
) -> None:
    """Telegram says the language of the app with each update; the bot keeps it, so the notices that reach
    someone later (no update of theirs at hand) are in their language rather than the town's."""
    coordinator = FakeUser(fake_api, COORDINATOR_ID, "Claire", "fr")
    coordinator.send("/help")
    await coordinator.expect(says("help.coordinator"))
    carmen = FakeUser(fake_api, CARMEN, "Carmen", "es")
    carmen.send("/report")
    await carmen.expect(*said("report.ask_where"))
    carmen.tap(Translations("es").get("es")("button.danger_now"))
    alert = await coordinator.expect(says("report.danger_alert", reporter="Carmen"))
    spanish = Translations("es").get("es")("report.danger_alert", reporter="Carmen", reference="", where="", signs="")
    assert spanish.split("\n")[0].split("Carmen")[0] not in alert.text
