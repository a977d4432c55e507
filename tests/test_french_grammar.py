"""French as a careful writer writes it: "de" elides before a vowel (d'Agen, qu'Anne), merges with a town's
article (du Mans, au Havre), and a sentence about someone agrees with them, or is worded to need no agreement."""

from __future__ import annotations

import pytest

from bot.i18n import Safe, Translations, french_elision


def filled(template: str, **values: object) -> str:
    text, params = french_elision(template, values)
    return text.format(**{name: str(value) for name, value in params.items()})


@pytest.mark.parametrize(
    ("town", "outside", "inside"),
    [
        ("Agen", "en dehors d'Agen", "à Agen"),
        ("Villeneuve-sur-Lot", "en dehors de Villeneuve-sur-Lot", "à Villeneuve-sur-Lot"),
        ("Le Mans", "en dehors du Mans", "au Mans"),
        ("Les Ulis", "en dehors des Ulis", "aux Ulis"),
        ("La Rochelle", "en dehors de La Rochelle", "à La Rochelle"),
        ("Issy-les-Moulineaux", "en dehors d'Issy-les-Moulineaux", "à Issy-les-Moulineaux"),
        ("Hazebrouck", "en dehors d'Hazebrouck", "à Hazebrouck"),
    ],
)
def test_a_town_s_name_is_elided_and_contracted_where_french_needs_it(town: str, outside: str, inside: str) -> None:
    assert filled("en dehors de {town}", town=town) == outside
    assert filled("à {town}", town=town) == inside
    assert filled("Ce point est en dehors de {town}, écrivez la rue si vous êtes à {town}.", town=town) == (
        f"Ce point est {outside}, écrivez la rue si vous êtes {inside}."
    )


def test_a_name_elides_de_and_que_but_a_surname_keeps_its_article() -> None:
    assert filled("la fiche de {name}", name="Anne Martin") == "la fiche d'Anne Martin"
    assert filled("la fiche de {name}", name=Safe("Hélène")) == "la fiche d'Hélène"
    assert filled("plus tôt que {name}", name="Yves") == "plus tôt qu'Yves"
    assert filled("la fiche de {name}", name="Madame Durand") == "la fiche de Madame Durand"
    assert filled("la fiche de {name}", name="Le Goff") == "la fiche de Le Goff"
    assert filled("la visite de {count}", count=8) == "la visite de 8"
    assert filled("indépendante {name}", name="Anne") == "indépendante Anne"


def test_the_bot_s_french_messages_elide_the_town_and_other_languages_are_left_as_written() -> None:
    translations = Translations("fr")
    french, english = translations.get("fr"), translations.get("en")
    assert "en dehors d'Agen" in french("street.outside_town", town="Agen")
    assert "Agen" in english("street.outside_town", town="Agen")
    assert "d'" not in french("street.outside_town", town="Villeneuve-sur-Lot").split("Villeneuve")[0]
