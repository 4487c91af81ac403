from passlib.context import CryptContext

from moviebook.services.passwords import (
    ARGON2_MEMORY_KIB,
    ARGON2_TIME_COST,
    hash_password,
    password_problem,
    verify_and_rehash,
    verify_password,
)


def test_hashes_are_argon2id_at_or_above_the_owasp_minimum():
    digest = hash_password("a long enough secret")
    assert digest.startswith("$argon2id$")
    params = dict(part.split("=") for part in digest.split("$")[3].split(","))
    assert int(params["m"]) >= 19_456 == ARGON2_MEMORY_KIB
    assert int(params["t"]) >= 2 == ARGON2_TIME_COST
    assert int(params["p"]) == 1
    assert verify_password("a long enough secret", digest)
    assert not verify_password("a long enough secreT", digest)


def test_a_weaker_old_hash_is_replaced_on_the_next_successful_check():
    weak = CryptContext(
        schemes=["argon2"], argon2__type="ID", argon2__memory_cost=8192, argon2__time_cost=1, argon2__parallelism=1
    ).hash("remember me please")
    valid, new_hash = verify_and_rehash("remember me please", weak)
    assert valid and new_hash and new_hash != weak and "m=19456" in new_hash
    assert verify_and_rehash("wrong guess here", weak) == (False, None)
    assert verify_and_rehash("remember me please", new_hash) == (True, None)  # already current


def test_password_policy_is_length_and_not_common_only():
    assert password_problem("short") == "Use at least 8 characters."
    assert password_problem("x" * 129) == "Use at most 128 characters."
    assert "common" in password_problem("Password123")
    assert "common" in password_problem("12345678")
    assert password_problem("alllowercaseletters") is None  # no composition rules
    assert password_problem("x" * 128) is None
