"""Phone numbers as the town's country writes them, checked with phonenumbers (Google's libphonenumber data):
"05 53 66 12 56" in France, "968 78 20 20" in Spain; a number of another country keeps its + and code."""

from __future__ import annotations

import phonenumbers
from phonenumbers import NumberParseException, PhoneMetadata, PhoneNumberFormat, PhoneNumberType

# Longer than any number written with spaces and dots: anything longer is not a phone number.
MAX_PHONE_CHARS = 40


def town_phone(text: str, country: str) -> str | None:
    """The number written the town's way, or None when it is not a valid number (for `country`, or with +)."""
    if len(text) > MAX_PHONE_CHARS:
        return None
    try:
        number = phonenumbers.parse(text, country)
    except NumberParseException:
        return None
    # Possible (a length the country uses, its trunk prefix read as one), not "valid": a valid number must lie
    # in a range already allocated, which refuses the ranges reserved for fiction and any range allocated after
    # the library's data was made.
    metadata = PhoneMetadata.metadata_for_region(phonenumbers.region_code_for_number(number) or country)
    trunk = metadata.national_prefix if metadata is not None else None
    kept_trunk = bool(trunk) and phonenumbers.national_significant_number(number).startswith(str(trunk))
    if not phonenumbers.is_possible_number(number) or kept_trunk:
        return None
    local = phonenumbers.region_code_for_number(number) == country
    return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL if local else PhoneNumberFormat.INTERNATIONAL)


def example(country: str) -> str:
    """A mobile number of the country as its people write it (06 12 34 56 78 in France), to show the form."""
    number = phonenumbers.example_number_for_type(country, PhoneNumberType.MOBILE)
    return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL) if number is not None else "+"
