"""A workshop's QR code: only this app's own join links are followed."""

from __future__ import annotations

import pytest

from services.participation.join_link import join_link, read_join_link
from services.waiting_times.ticket_link import (
    NOT_A_LINK,
    NOT_A_TICKET,
    OTHER_SITE,
    TOO_LONG,
    UNSAFE_SCHEME,
    Refused,
)

OURS = ["http://127.0.0.1:8550", "https://app.stadt-koeln.example"]


def test_the_link_on_the_projector_is_read_back() -> None:
    link = join_link("https://app.stadt-koeln.example/", "kdw-7px")
    assert link == "https://app.stadt-koeln.example/participate/join/KDW7PX"
    assert read_join_link(link, OURS) == "KDW7PX"
    assert read_join_link("http://127.0.0.1:8550/participate/join/kdw7px/", OURS) == "KDW7PX"
    # the tablet's link, scanned by somebody who wants to take part on their own phone
    assert read_join_link("http://127.0.0.1:8550/participate/tablet/KDW7PX", OURS) == "KDW7PX"
    assert read_join_link(link + "\n", OURS) == "KDW7PX"  # a scanner's line break is no harm


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ("https://evil.example/participate/join/KDW7PX", OTHER_SITE),
        ("javascript:alert(1)", UNSAFE_SCHEME),
        ("KDW7PX", NOT_A_LINK),
        ("http://127.0.0.1:8550/participate/join/KDW7PX?next=https://evil.example", NOT_A_TICKET),
        ("http://127.0.0.1:8550/participate/join/../settings", NOT_A_TICKET),
        ("http://127.0.0.1:8550/participate/join/X", NOT_A_TICKET),
        ("http://127.0.0.1:8550/participate/join/----", NOT_A_TICKET),
        ("http://127.0.0.1:8550/participate/join/A-B-C", NOT_A_TICKET),
        ("http://127.0.0.1:8550/waiting/ticket/kalk/123.ABC", NOT_A_TICKET),
        ("http://127.0.0.1:8550/participate/join/" + "A" * 600, TOO_LONG),
    ],
)
def test_anything_else_is_refused(payload: str, reason: str) -> None:
    found = read_join_link(payload, OURS)
    assert isinstance(found, Refused) and found.reason == reason
