"""Join codes, participation codes and the one-way hash that stands for a participant."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from backend_stub.models import StubSetting

# No 0/O, 1/I/L: codes are read off a projector and typed on a phone.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6
PARTICIPATION_CODE_LENGTH = 8  # about 40 bits: not guessable within a workshop
SECRET_KEY = "participation_secret"


def new_code(length: int) -> str:
    """A random code of `length` characters of `ALPHABET`."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise_code(typed: str) -> str:
    """What a person typed, as the code: capitals, without spaces and dashes."""
    return "".join(ch for ch in typed.upper() if ch not in " -\t")


def grouped(code: str) -> str:
    """A code in groups of four, easier to read aloud (`ABCD-EFGH`)."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def participation_secret(engine: Engine) -> bytes:
    """The key of the participant hashes, made once and kept in the database (every worker
    reads the same one)."""
    for _ in range(3):
        with Session(engine) as session:
            kept = session.get(StubSetting, SECRET_KEY)
            if kept is not None:
                return bytes.fromhex(kept.value)
            session.add(StubSetting(key=SECRET_KEY, value=secrets.token_hex(32)))
            try:
                session.commit()
            except IntegrityError:  # another worker made it first: read theirs
                session.rollback()
    raise RuntimeError("could not read or make the participation secret")


def code_hash(secret: bytes, code: str) -> str:
    """How a participation code is stored."""
    return hmac.new(secret, b"code\x00" + normalise_code(code).encode(), hashlib.sha256).hexdigest()


def participant_hash(secret: bytes, survey_id: str, participant: str) -> str:
    """The ballot's hash of a participant for one survey: keyed, so a table dump alone cannot
    be tested against tokens, and per survey, so ballots of one device in two surveys do not
    match."""
    message = b"ballot\x00" + survey_id.encode() + b"\x00" + participant.encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()
