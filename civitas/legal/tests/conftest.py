import pytest
from django.test import Client

from civitas.legal import services
from civitas.testing.factories import UserFactory


def publish(organization, admin, number_hint="", summary="Clearer rules on moderation."):
    return services.do_publish_terms(
        organization=organization,
        user=admin,
        title="",
        body=f"<p>Les règles du jeu {number_hint}</p>",
        summary=summary,
    )


@pytest.fixture
def participant(org_a):
    return UserFactory(organization=org_a, nickname="paul", name="Paul Martin")


@pytest.fixture
def participant_client(org_a, participant):
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(participant)
    return client


@pytest.fixture
def admin_client_a(org_a, admin_a):
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(admin_a)
    return client
