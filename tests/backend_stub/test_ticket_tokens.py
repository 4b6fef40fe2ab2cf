"""Ticket tokens cannot be guessed, moved to another office, or reused on another day."""

from __future__ import annotations

from datetime import date

from backend_stub.queues.tokens import TicketSigner

OFFICES = ["ehrenfeld", "kalk", "porz"]
DAY = date(2026, 10, 5)


def test_a_signed_token_names_its_office_day_and_number() -> None:
    signer = TicketSigner(b"secret")
    claim = signer.check(signer.sign("kalk", DAY, 17), OFFICES)
    assert claim is not None
    assert (claim.office, claim.day, claim.number) == ("kalk", DAY, 17)


def test_the_next_number_gives_an_unrelated_token() -> None:
    signer = TicketSigner(b"secret")
    first, second = signer.sign("kalk", DAY, 17), signer.sign("kalk", DAY, 18)
    assert first.split(".")[1] != second.split(".")[1]
    forged = second.split(".")[0] + "." + first.split(".")[1]  # counting up, keeping the seal
    assert signer.check(forged, OFFICES) is None


def test_tokens_of_another_secret_or_shape_are_refused() -> None:
    token = TicketSigner(b"other").sign("kalk", DAY, 17)
    signer = TicketSigner(b"secret")
    assert signer.check(token, OFFICES) is None
    for junk in ["", "17", "x" * 4000, "2026100500017", "2026100500017.", "../../etc/passwd"]:
        assert signer.check(junk, OFFICES) is None


def test_an_office_outside_the_list_is_not_accepted() -> None:
    signer = TicketSigner(b"secret")
    assert signer.check(signer.sign("nowhere", DAY, 1), OFFICES) is None
