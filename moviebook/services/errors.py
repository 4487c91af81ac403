"""Errors a service raises for a person to read. States turn them into toasts or field errors."""


class DomainError(Exception):
    """A rule was broken; ``str(error)`` is a message fit to show the user."""


class NotFound(DomainError):
    pass


class Conflict(DomainError):
    pass
