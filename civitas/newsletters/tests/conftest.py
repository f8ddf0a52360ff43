import pytest
from django.contrib.auth import get_user_model

from civitas.newsletters import services
from civitas.testing.factories import UserFactory


def residents(organization, count, *, consent=True, prefix="resident"):
    people = [
        UserFactory(
            organization=organization, email=f"{prefix}{index}@example.org", nickname=f"{prefix}{index}"
        )
        for index in range(count)
    ]
    if consent:
        for person in people:
            services.do_set_consent(person, True, source="settings")
    return people


@pytest.fixture
def newsletter_a(org_a, admin_a):
    return services.do_create_newsletter(
        organization=org_a,
        user=admin_a,
        subject="Le budget participatif ouvre",
        body='<p>Votez <a href="/spaces/budget/">ici</a> avant le <strong>12 mars</strong>.</p>',
        audience="all",
    )


@pytest.fixture
def fast_sending(settings):
    settings.NEWSLETTER_MAX_PER_MINUTE = 100000
    settings.NEWSLETTER_BATCH_SIZE = 3


def send_all(newsletter):
    """Every batch now, as the queue's consumer would after each pause."""
    while services.send_next_batch(newsletter.pk).remaining:
        pass


@pytest.fixture
def user_model():
    return get_user_model()
