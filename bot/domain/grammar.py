"""How to speak of someone in languages whose words agree with a person's gender (French "suivie", "suivi").

The values are the catalogues' message contexts (msgctxt): a message that agrees has a "feminine" and a
"masculine" wording beside one that needs no agreement, shown when the gender is not known."""

from __future__ import annotations

from enum import StrEnum


class GrammaticalGender(StrEnum):
    FEMININE = "feminine"
    MASCULINE = "masculine"
