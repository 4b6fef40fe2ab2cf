"""The one small tree of errors that every service raises; views show a message per kind."""

from __future__ import annotations


class ServiceError(Exception):
    """Base of every error a service reports to the app."""

    kind = "error"

    def __init__(self, message: str = "", *, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code  # the protocol's own error code, when it sends one


class Offline(ServiceError):
    """The source could not be reached (no connection, refused, DNS)."""

    kind = "offline"


class TimedOut(Offline):
    """The source was reached but did not answer in time."""

    kind = "timeout"


class ServerError(ServiceError):
    """The source answered with a 5xx status."""

    kind = "server"


class BadData(ServiceError):
    """The source answered, but with something that is not what the protocol promises."""

    kind = "bad_data"


class NotFound(ServiceError):
    """The thing asked for does not exist (or no longer)."""

    kind = "not_found"


class Conflict(ServiceError):
    """The request clashes with the current state (a slot is gone, a key was reused)."""

    kind = "conflict"


class Rejected(ServiceError):
    """The source refused the request as invalid or not allowed (400, 401, 403, 422)."""

    kind = "rejected"


class RateLimited(ServiceError):
    """Too many requests; `retry_after` seconds until the next attempt is welcome."""

    kind = "rate_limited"

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message, code="rateLimited")
        self.retry_after = retry_after


def is_transient(error: ServiceError) -> bool:
    """Whether sending the same request later may succeed (offline, 5xx, rate limit)."""
    return isinstance(error, Offline | ServerError | RateLimited)
