"""Password hashing and the password policy.

Hashing: argon2id at or above the OWASP ASVS minimum (m=19 MiB, t=2, p=1). Hashes made with
weaker parameters are upgraded at the next successful login (``verify_and_update``).
Policy: 8 to 128 characters, no composition rules, and none of the most common passwords.
"""

from __future__ import annotations

from passlib.context import CryptContext

ARGON2_MEMORY_KIB = 19_456
ARGON2_TIME_COST = 2
MIN_LENGTH = 8
MAX_LENGTH = 128

password_context = CryptContext(
    schemes=["argon2"],
    argon2__type="ID",
    argon2__memory_cost=ARGON2_MEMORY_KIB,
    argon2__time_cost=ARGON2_TIME_COST,
    argon2__parallelism=1,
)

# The most used passwords of public breach lists that are 8+ characters long: the ones an
# attacker tries first. Compared case-insensitively.
COMMON_PASSWORDS = frozenset(
    """
    password password1 password12 password123 password1234 passw0rd p@ssw0rd p@ssword
    12345678 123456789 1234567890 12345678910 87654321 11111111 00000000 88888888 11223344
    123123123 1q2w3e4r 1q2w3e4r5t 1qaz2wsx qwertyui qwertyuiop qwerty123 qwerty12 asdfghjk
    asdfghjkl zxcvbnm1 iloveyou iloveyou1 sunshine princess1 football football1 baseball
    welcome1 welcome123 letmein1 letmein123 trustno1 superman batman123 starwars dragon12
    monkey123 shadow12 master12 michael1 jennifer computer internet whatever abcd1234
    abc12345 abcdefgh aaaaaaaa changeme changeme1 secret123 admin123 administrator
    adminadmin qazwsxedc zaq12wsx 1qazxsw2 q1w2e3r4 q1w2e3r4t5 passpass moviebook
    moviebook1 cinema123 movies123
    """.split()
)


def password_problem(password: str) -> str | None:
    """Why a new password is not acceptable, or None when it is."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    if password.lower() in COMMON_PASSWORDS:
        return "That password is one of the most common ones. Choose another."
    return None


def hash_password(password: str) -> str:
    """Slow on purpose (~50 ms): callers on an event loop must run it in a thread."""
    return password_context.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    return password_context.verify(password, password_hash)


def verify_and_rehash(password: str, password_hash: str) -> tuple[bool, str | None]:
    """Check a password; when it is right but the hash is outdated, also return a new hash."""
    return password_context.verify_and_update(password, password_hash)
