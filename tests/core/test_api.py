from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def test_api_me_requires_authentication(db):
    response = APIClient().get(reverse("api:me"))
    assert response.status_code in (401, 403)


def test_api_me_with_token(recruiter):
    token = Token.objects.create(user=recruiter)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get(reverse("api:me"))
    assert response.status_code == 200
    assert response.json()["username"] == recruiter.username
    assert response.json()["roles"] == ["Recruiter"]


def test_openapi_schema_is_generated_and_served(recruiter):
    client = APIClient()
    client.force_authenticate(recruiter)
    response = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/me/" in schema["paths"]
