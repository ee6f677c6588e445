import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from config.core.demo import DEMO_USERS, demo_users_load
from config.core.roles import Role, roles_of


def test_demo_data_is_idempotent_and_gives_each_user_their_role(db):
    first = demo_users_load()
    second = demo_users_load()
    assert first["users_created"] == 4
    assert second["users_created"] == 0
    users = {u.username: u for u in get_user_model().objects.all()}
    assert set(users) == {"recruiter", "manager", "interviewer", "admin"}
    assert roles_of(users["recruiter"]) == {Role.RECRUITER}
    assert roles_of(users["manager"]) == {Role.HIRING_MANAGER}
    assert roles_of(users["interviewer"]) == {Role.INTERVIEWER}
    assert users["admin"].is_superuser
    for demo in DEMO_USERS:
        assert users[demo.username].check_password(demo.password)


def test_demo_command_prints_one_login_line_per_user(db, capsys):
    call_command("load_demo_data")
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("login: ")]
    assert lines == [f"login: {d.username} / {d.password}" for d in DEMO_USERS]


def test_demo_data_is_refused_in_production_settings(db, settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="demo data is disabled"):
        call_command("load_demo_data")
    assert get_user_model().objects.count() == 0


def test_demo_login_works(client, db):
    demo_users_load()
    for demo in DEMO_USERS:
        assert client.login(username=demo.username, password=demo.password)
