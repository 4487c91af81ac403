"""``/api/v1/admin/users``: roles and account status over HTTP, through services.roles."""

from __future__ import annotations

from sqlmodel import select

from moviebook.models import AuthSession, User
from tests.factories import make_user, tag
from tests.integration.api_admin_support import assert_refused, field_errors, problem
from tests.integration.api_support import user_with_token

USERS = "/api/v1/admin/users"


def _row(app_session, user_id: int) -> User:
    app_session.expire_all()
    return app_session.get(User, user_id)


def test_search_and_page(api, app_session):
    _, admin = user_with_token(api, app_session, role="admin")
    mark = tag()
    for n in range(3):
        make_user(app_session, f"find-{mark}-{n}@example.com", name=f"Findable {n}")
    app_session.commit()
    first = api.get(USERS, params={"q": f"find-{mark}", "page_size": 2}, headers=admin).json()
    assert (
        first["total"] == 3
        and first["pages"] == 2
        and [u["name"] for u in first["items"]]
        == [
            "Findable 0",
            "Findable 1",
        ]
    )
    second = api.get(USERS, params={"q": f"find-{mark}", "page_size": 2, "page": 2}, headers=admin).json()
    assert [u["email"] for u in second["items"]] == [f"find-{mark}-2@example.com"]
    assert field_errors(api.get(USERS, params={"page_size": 0}, headers=admin)) == {"page_size"}


def test_change_role_and_deactivate(api, app_session):
    _, admin = user_with_token(api, app_session, role="admin")
    target_id, target = user_with_token(api, app_session, name="Promoted")
    promoted = api.patch(f"{USERS}/{target_id}", json={"role": "staff"}, headers=admin)
    assert promoted.status_code == 200, promoted.text
    assert promoted.json()["role"] == "staff" and _row(app_session, target_id).role == "staff"

    off = api.patch(f"{USERS}/{target_id}", json={"is_active": False}, headers=admin)
    assert off.json()["is_active"] is False and not _row(app_session, target_id).is_active
    problem(api.get("/api/v1/me", headers=target), 401)  # the deactivated account's token ends at once
    live = app_session.exec(
        select(AuthSession).where(AuthSession.user_id == target_id, AuthSession.revoked_at.is_(None))
    ).all()
    assert live == []


def test_the_rules_of_roles_hold(api, app_session):
    admin_id, admin = user_with_token(api, app_session, role="admin")
    problem(api.patch(f"{USERS}/{admin_id}", json={"role": "user"}, headers=admin), 422)  # not yourself
    assert _row(app_session, admin_id).role == "admin"
    assert field_errors(api.patch(f"{USERS}/{admin_id}", json={"role": "owner"}, headers=admin)) == {"role"}
    assert field_errors(api.patch(f"{USERS}/{admin_id}", json={}, headers=admin)) == {"role"}
    problem(api.patch(f"{USERS}/{2**31 - 1}", json={"role": "staff"}, headers=admin), 404, "not-found")


def test_a_demoted_admin_is_refused_at_once(api, app_session):
    """The role is read on every request: an admin made staff cannot use the admin API any more.
    (The last-admin rule cannot be reached by one active admin through here, because nobody may
    change their own account; services.roles' own tests cover it.)"""
    _, first = user_with_token(api, app_session, role="admin")
    second_id, second = user_with_token(api, app_session, role="admin")
    target = make_user(app_session)
    app_session.commit()
    assert api.patch(f"{USERS}/{second_id}", json={"role": "staff"}, headers=first).status_code == 200
    problem(api.patch(f"{USERS}/{target.id}", json={"role": "admin"}, headers=second), 403, "forbidden")
    assert _row(app_session, target.id).role == "user" and _row(app_session, second_id).role == "staff"


def test_a_moviegoer_and_a_guest_change_nothing(api, app_session):
    moviegoer_id, moviegoer = user_with_token(api, app_session)
    _, staff = user_with_token(api, app_session, role="staff")
    other = make_user(app_session)
    app_session.commit()
    assert_refused(api, moviegoer, "GET", USERS)
    assert_refused(api, moviegoer, "PATCH", f"{USERS}/{other.id}", json={"role": "admin"})
    assert_refused(api, moviegoer, "PATCH", f"{USERS}/{moviegoer_id}", json={"role": "admin"})
    problem(api.patch(f"{USERS}/{other.id}", json={"role": "admin"}, headers=staff), 403, "forbidden")
    assert _row(app_session, other.id).role == "user" and _row(app_session, moviegoer_id).role == "user"
