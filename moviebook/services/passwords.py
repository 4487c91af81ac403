"""Password hashing: argon2id at or above the OWASP ASVS minimum (m=19 MiB, t=2, p=1)."""

from __future__ import annotations

from passlib.context import CryptContext

ARGON2_MEMORY_KIB = 19_456
ARGON2_TIME_COST = 2

password_context = CryptContext(
    schemes=["argon2"],
    argon2__type="ID",
    argon2__memory_cost=ARGON2_MEMORY_KIB,
    argon2__time_cost=ARGON2_TIME_COST,
    argon2__parallelism=1,
)


def hash_password(password: str) -> str:
    """Slow on purpose (~50 ms): callers on an event loop must run it in a thread."""
    return password_context.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    return password_context.verify(password, password_hash)
