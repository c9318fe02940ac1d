"""A registered witness's contact details: an email address and a phone number that work.

The assessor checks a witness's statement by ringing or writing to them, so a number that
cannot be dialled is a problem when the witness is registered, not months later. Phone
numbers are read as UK numbers (``phonenumbers``, region GB; a number written with ``+``
and its country code may be from elsewhere). Ofcom's ranges kept for drama (07700 900xxx,
01632 960xxx), which ``phonenumbers`` does not count as valid, are accepted: they are what
fictional portfolios and tests use, and no real person has one.
"""

from __future__ import annotations

import re

from ..errors import Problem

_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
_DRAMA = re.compile(r"(7700900|1632960)\d{3}")


def phone_problem(phone: str) -> str:
    """What is wrong with a phone number, in words (empty: nothing)."""
    import phonenumbers

    text = phone.strip()
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        return f'"{text}" is not a phone number: write it as you would dial it, e.g. 0161 496 0000'
    if phonenumbers.is_valid_number(number):
        return ""
    if number.country_code == 44 and _DRAMA.fullmatch(
        phonenumbers.national_significant_number(number)
    ):
        return ""
    return (
        f'"{text}" is not a UK phone number that can be dialled (check the digits, and the '
        "area code); a number abroad starts with + and its country code"
    )


def email_problem(email: str) -> str:
    """What is wrong with an email address, in words (empty: nothing)."""
    text = email.strip()
    if _EMAIL.fullmatch(text):
        return ""
    return f'"{text}" is not an email address: it looks like name@example.org'


def contact_problems(email: str, phone: str, path: str) -> list[Problem]:
    """Problems of a witness's email address and phone number (each only when given)."""
    out: list[Problem] = []
    if email.strip() and (why := email_problem(email)):
        out.append(Problem(path, why, field="email", hint="correct the email address"))
    if phone.strip() and (why := phone_problem(phone)):
        out.append(Problem(path, why, field="phone", hint="correct the phone number"))
    return out
