"""Only our own ticket links are followed; everything else is refused with a reason."""

from __future__ import annotations

import pytest

from services.waiting_times.ticket_link import (
    NOT_A_LINK,
    NOT_A_TICKET,
    OTHER_SITE,
    TOO_LONG,
    UNSAFE_SCHEME,
    Refused,
    TicketRef,
    read_ticket_link,
)

OURS = ["http://127.0.0.1:8550", "https://app.stadt-koeln.example"]
TOKEN = "2026100500017.abcdefghijklmnop"


@pytest.mark.parametrize(
    "payload",
    [
        f"http://127.0.0.1:8550/waiting/ticket/kalk/{TOKEN}",
        f"https://APP.stadt-koeln.example/waiting/ticket/kalk/{TOKEN}",
        f"  http://127.0.0.1:8550/waiting/ticket/kalk/{TOKEN}/\n",
    ],
)
def test_our_links_give_the_ticket(payload: str) -> None:
    assert read_ticket_link(payload, OURS) == TicketRef("kalk", TOKEN)


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (f"https://evil.example/waiting/ticket/kalk/{TOKEN}", OTHER_SITE),
        (f"http://127.0.0.1:9999/waiting/ticket/kalk/{TOKEN}", OTHER_SITE),
        (f"https://app.stadt-koeln.example.evil.example/waiting/ticket/kalk/{TOKEN}", OTHER_SITE),
        (f"https://user@app.stadt-koeln.example/waiting/ticket/kalk/{TOKEN}", NOT_A_LINK),
        ("javascript:alert(1)", UNSAFE_SCHEME),
        ("data:text/html;base64,PHNjcmlwdD4=", UNSAFE_SCHEME),
        ("intent://scan/#Intent;scheme=zxing;end", UNSAFE_SCHEME),
        ("Guten Morgen", NOT_A_LINK),
        ("", NOT_A_LINK),
        ("http://127.0.0.1:8550/settings", NOT_A_TICKET),
        (
            f"http://127.0.0.1:8550/waiting/ticket/kalk/{TOKEN}?next=https://evil.example",
            NOT_A_TICKET,
        ),
        ("http://127.0.0.1:8550/waiting/ticket/../../admin/x", NOT_A_TICKET),
        ("http://127.0.0.1:8550/waiting/ticket/kalk/%3Cscript%3E", NOT_A_TICKET),
        ("x" * 4096, TOO_LONG),
        ("http://127.0.0.1:8550/\x00waiting", NOT_A_LINK),
    ],
)
def test_everything_else_is_refused(payload: str, reason: str) -> None:
    assert read_ticket_link(payload, OURS) == Refused(reason)
