import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from config.core.tasks import HEARTBEAT_KEY, heartbeat


def test_healthz_ok_when_database_and_broker_answer(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "broker": "ok"}
    assert "no-cache" in response.headers["Cache-Control"]


def test_healthz_503_names_the_broker_when_it_is_down(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["down"] == ["broker"]
    assert response.json()["checks"]["database"] == "ok"


@pytest.mark.django_db(transaction=True)
def test_healthz_503_names_the_database_when_it_is_down(client):
    original = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["NAME"] = "no_such_database_for_healthz"
    try:
        response = client.get(reverse("healthz"))
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)
    assert response.status_code == 503
    assert response.json()["down"] == ["database"]


def test_healthz_needs_no_login_and_only_answers_get(client, db):
    assert client.post(reverse("healthz")).status_code == 405


def test_heartbeat_task_records_the_tick(db):

    stamp = heartbeat()
    assert cache.get(HEARTBEAT_KEY) == stamp
