import pytest
from sqlmodel import select

from moviebook.models import AuditEntry, AuthSession, User
from moviebook.services.accounts import (
    FormInvalid,
    change_name,
    change_password,
    create_admin_user,
    register_user,
)
from moviebook.services.errors import DomainError
from moviebook.services.passwords import verify_password
from moviebook.services.tokens import TokenPolicy, start_session

GOOD = dict(name="Grace Hopper", email="Grace@Example.com ", password="compilers rule", confirm="compilers rule")


def test_signup_normalises_the_email_and_hashes_the_password(session):
    user = register_user(session, **GOOD)
    session.commit()
    assert (user.name, user.email, user.role, user.is_active) == ("Grace Hopper", "grace@example.com", "user", True)
    assert user.password_hash != "compilers rule" and verify_password("compilers rule", user.password_hash)
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "user.signup")).one().entity_id == str(user.id)


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"name": "  "}, "name", "Enter your name."),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"email": "a@b"}, "email", "valid email"),
        ({"password": "short", "confirm": "short"}, "password", "at least 8"),
        ({"password": "password123", "confirm": "password123"}, "password", "common"),
        ({"confirm": "compilers rule!"}, "confirm", "do not match"),
    ],
)
def test_signup_reports_each_bad_field(session, changes, field, message):
    with pytest.raises(FormInvalid) as caught:
        register_user(session, **{**GOOD, **changes})
    assert list(caught.value.errors) == [field]
    assert message in caught.value.errors[field]


def test_signup_reports_all_problems_at_once(session):
    with pytest.raises(FormInvalid) as caught:
        register_user(session, name="", email="x", password="short", confirm="other")
    assert set(caught.value.errors) == {"name", "email", "password", "confirm"}


def test_an_email_can_register_only_once_whatever_its_case(session):
    register_user(session, **GOOD)
    session.commit()
    with pytest.raises(FormInvalid) as caught:
        register_user(session, **{**GOOD, "email": "GRACE@example.COM"})
    assert "already exists" in caught.value.errors["email"]
    assert len(session.exec(select(User)).all()) == 1


def test_change_name(session):
    user = register_user(session, **GOOD)
    assert change_name(session, user.id, "  Amazing Grace ").name == "Amazing Grace"
    with pytest.raises(FormInvalid):
        change_name(session, user.id, "")


def test_change_password_needs_the_current_one_and_signs_out_other_sessions(session):
    user = register_user(session, **GOOD)
    policy = TokenPolicy(secret_key="k" * 48)
    start_session(session, user, policy)
    start_session(session, user, policy)
    session.commit()
    here = session.exec(select(AuthSession)).first().id
    with pytest.raises(FormInvalid) as caught:
        change_password(session, user.id, current="wrong one", new="new secret words", confirm="new secret words")
    assert set(caught.value.errors) == {"current"}
    with pytest.raises(FormInvalid) as caught:
        change_password(session, user.id, current="compilers rule", new="new secret words", confirm="typo")
    assert set(caught.value.errors) == {"confirm"}
    change_password(
        session,
        user.id,
        current="compilers rule",
        new="new secret words",
        confirm="new secret words",
        keep_session=here,
    )
    session.commit()
    assert verify_password("new secret words", session.get(User, user.id).password_hash)
    live = session.exec(select(AuthSession).where(AuthSession.revoked_at.is_(None))).all()
    assert [row.id for row in live] == [here]


def test_create_admin_makes_a_new_admin_or_promotes_an_account(session):
    admin = create_admin_user(session, email="Boss@Example.com", name="Boss", password="a fine password")
    assert (admin.email, admin.role) == ("boss@example.com", "admin")
    user = register_user(session, **GOOD)
    user.is_active = False
    promoted = create_admin_user(session, email="grace@example.com", name="x", password="another fine one")
    assert promoted.id == user.id and promoted.role == "admin" and promoted.is_active
    with pytest.raises(DomainError, match="at least 8"):
        create_admin_user(session, email="c@example.com", name="C", password="short")
