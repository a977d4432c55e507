"""The tests read what the bot says from its catalogues: a message is recognised by its own words in the
reader's language, with the parameters a test knows, and a wrong key fails at once rather than after a wait."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.i18n import SUPPORTED
from tests.catalogue import is_in, says, shows, text_of


def test_a_message_is_recognised_with_the_parameters_given_and_not_with_others() -> None:
    approved = text_of("fr", "coordinator.approved", name="Sami")
    assert shows(f"Bonjour\n{approved}", says("coordinator.approved", name="Sami"), "fr")
    assert shows(approved, says("coordinator.approved"), "fr")
    assert not shows(approved, says("coordinator.approved", name="Iris"), "fr")
    assert not shows(approved, says("coordinator.approved"), "en")


def test_a_parameter_not_given_matches_any_text_even_over_several_lines() -> None:
    applied = text_of("fr", "coordinator.volunteer_applied", name="Jean\nDupont", kind="Bénévole")
    assert shows(applied, says("coordinator.volunteer_applied"), "fr")
    assert shows(applied, says("coordinator.volunteer_applied", kind="Bénévole"), "fr")


def test_a_message_inside_another_is_given_as_a_parameter() -> None:
    kind = says("volunteer.kind.service_civique")
    applied = text_of("en", "coordinator.volunteer_applied", name="Sami", kind=kind)
    assert shows(applied, says("coordinator.volunteer_applied", name="Sami", kind=kind), "en")
    assert not shows(applied, says("coordinator.volunteer_applied", kind=says("volunteer.kind.benevole")), "en")


def test_values_are_compared_as_the_bot_escapes_them() -> None:
    searched = text_of("fr", "persons.searched_list", list="", query="<Durand & fils>")
    assert "&lt;Durand &amp; fils&gt;" in searched
    assert shows(searched, says("persons.searched_list", query="<Durand & fils>"), "fr")


def test_data_is_found_whatever_its_case() -> None:
    assert shows("Rue de la RÉPUBLIQUE", "république", "fr")


def test_a_parameter_the_message_does_not_have_is_refused_rather_than_ignored() -> None:
    with pytest.raises(ValueError, match="has no person"):
        shows("✅ Sami est validé(e) et prévenu(e).", says("coordinator.approved", person="Sami"), "fr")


def test_a_key_missing_from_the_catalogue_fails_at_once() -> None:
    with pytest.raises(KeyError):
        says("no.such.key")


def test_a_message_that_is_only_placeholders_needs_its_parameters() -> None:
    with pytest.raises(ValueError, match="give its parameters"):
        shows("• S-2026-0001 : lu", says("report.mine_line"), "fr")
    assert shows("• S-2026-0001 : lu", says("report.mine_line", reference="S-2026-0001", status="lu"), "fr")


def test_every_message_the_tests_expect_is_in_every_catalogue() -> None:
    """A key renamed in the catalogues fails here at once, not after a wait in the flow that expects it."""
    expected: set[str] = set()
    for path in set(Path(__file__).parent.glob("*.py")) - {Path(__file__)}:  # this file asks for a missing key
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "says":
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str) and "." in first.value:
                    expected.add(first.value)
    assert len(expected) > 200
    missing = [(key, language) for key in sorted(expected) for language in SUPPORTED if not is_in(language, key)]
    assert missing == []
