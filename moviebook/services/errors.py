"""Errors a service raises for a person to read. States turn them into toasts or field errors."""


class DomainError(Exception):
    """A rule was broken; ``str(error)`` is a message fit to show the user."""


class NotFound(DomainError):
    pass


class Conflict(DomainError):
    pass


class TooManyRequests(DomainError):
    """Refused for now, not for good: ``seconds`` says when to try again."""

    def __init__(self, message: str, seconds: int):
        super().__init__(message)
        self.seconds = seconds


class FormInvalid(DomainError):
    """Field-level problems: ``errors`` maps a form field to what is wrong with it."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()))
        self.errors = errors
