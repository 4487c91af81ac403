import pytest
from sqlmodel import select

from moviebook.models import AuditEntry, AuthSession
from moviebook.services.errors import DomainError
from moviebook.services.roles import AccessDenied, change_role, has_role, search_users, set_active
from moviebook.services.tokens import TokenPolicy, start_session
from tests.factories import identity_for, make_user


@pytest.fixture
def people(session):
    return {
        "admin": make_user(session, "alice@example.com", name="Alice", role="admin"),
        "staff": make_user(session, "sam@example.com", name="Sam", role="staff"),
        "user": make_user(session, "uma@example.com", name="Uma"),
    }


def test_role_hierarchy():
    assert has_role("admin", "staff") and has_role("admin", "user") and has_role("staff", "user")
    assert not has_role("user", "staff") and not has_role("staff", "admin")
    assert not has_role(None, "user") and not has_role("superuser", "user")


def test_an_admin_promotes_and_demotes_with_an_audit_entry(session, people):
    admin = identity_for(people["admin"])
    assert change_role(session, admin, people["user"].id, "staff", ip="10.0.0.1").role == "staff"
    assert change_role(session, admin, people["staff"].id, "user").role == "user"
    entry = session.exec(select(AuditEntry).where(AuditEntry.entity_id == str(people["user"].id))).one()
    assert (entry.action, entry.actor_id, entry.old_values, entry.new_values, entry.ip_address) == (
        "user.role_changed",
        people["admin"].id,
        {"role": "user"},
        {"role": "staff"},
        "10.0.0.1",
    )


@pytest.mark.parametrize("who", ["staff", "user"])
def test_only_admins_change_roles_or_status(session, people, who):
    actor = identity_for(people[who])
    with pytest.raises(AccessDenied):
        change_role(session, actor, people["user"].id, "admin")
    with pytest.raises(AccessDenied):
        set_active(session, actor, people["admin"].id, False)
    with pytest.raises(AccessDenied):
        search_users(session, actor)
    assert people["user"].role == "user" and people["admin"].is_active


def test_nobody_changes_their_own_role_or_status(session, people):
    admin = identity_for(people["admin"])
    with pytest.raises(DomainError, match="your own"):
        change_role(session, admin, people["admin"].id, "user")
    with pytest.raises(DomainError, match="your own"):
        set_active(session, admin, people["admin"].id, False)


def test_the_last_active_admin_can_be_neither_demoted_nor_deactivated(session, people):
    # With a fresh identity an admin can only ever act on *another* admin, so the rule bites in
    # a race: Alice's event started while she was still an admin, and Bea demoted her meanwhile.
    alice_before = identity_for(people["admin"])
    bea = make_user(session, "bea@example.com", name="Bea", role="admin")
    change_role(session, identity_for(bea), people["admin"].id, "staff")
    with pytest.raises(DomainError, match="last active admin"):
        change_role(session, alice_before, bea.id, "user")
    with pytest.raises(DomainError, match="last active admin"):
        set_active(session, alice_before, bea.id, False)
    assert (bea.role, bea.is_active) == ("admin", True)


def test_an_inactive_admin_does_not_count_as_the_one_remaining(session, people):
    bea = make_user(session, "bea@example.com", name="Bea", role="admin")
    set_active(session, identity_for(people["admin"]), bea.id, False)
    with pytest.raises(DomainError, match="last active admin"):
        set_active(session, identity_for(bea), people["admin"].id, False)


def test_deactivation_ends_the_users_sessions_and_reactivation_restores_the_account(session, people):
    start_session(session, people["user"], TokenPolicy(secret_key="k" * 48))
    set_active(session, identity_for(people["admin"]), people["user"].id, False)
    assert not people["user"].is_active
    assert session.exec(select(AuthSession)).one().revoked_reason == "deactivated"
    set_active(session, identity_for(people["admin"]), people["user"].id, True)
    assert people["user"].is_active
    actions = session.exec(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["user.deactivated", "user.activated"]


def test_search_users_pages_and_filters(session, people):
    for i in range(25):
        make_user(session, f"zed{i:02d}@example.com", name=f"Zed{i:02d}")
    admin = identity_for(people["admin"])
    first = search_users(session, admin, page=1, page_size=10)
    assert (first.total, first.pages, len(first.rows)) == (28, 3, 10)
    assert [r.name for r in first.rows][:3] == ["Alice", "Sam", "Uma"]
    assert len(search_users(session, admin, page=3, page_size=10).rows) == 8
    assert search_users(session, admin, page=99, page_size=10).page == 3  # clamped, not an error
    found = search_users(session, admin, query="SAM@")
    assert [r.email for r in found.rows] == ["sam@example.com"]
    assert search_users(session, admin, query="%").total == 0
