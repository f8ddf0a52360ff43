import datetime

import pytest
from django.conf import settings

from civitas.authorizations import identity, persons
from civitas.components.petitions import services
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space

HANDLER = "test-identity"


class People:
    """A test identity source: which account belongs to which person (subject).

    Registered like the OIDC integration registers FranceConnect; tests say which
    accounts are verified, and two accounts may be the same person."""

    def __init__(self):
        self.subjects: dict[int, identity.VerifiedIdentity] = {}

    def verify(self, user, subject=None, *, born=datetime.date(1990, 5, 17), place="69123", names=None):
        """``names`` (family name, given names) gives the identity its person digest, as a
        provider that hands out the whole identity pivot does."""
        person = ""
        if names:
            person = persons.person_digest(
                persons.person_key(settings.CIVITAS_BALLOT_KEY),
                family_name=names[0],
                given_names=names[1],
                birth_date=born.isoformat(),
                birth_place=place,
            )
        self.subjects[user.pk] = identity.VerifiedIdentity(
            HANDLER, subject or f"sub-{user.pk}", birth_date=born, birth_place=place, person=person
        )
        return user

    def __call__(self, user):
        return self.subjects.get(user.pk)


@pytest.fixture
def people(monkeypatch):
    source = People()
    monkeypatch.setitem(identity._SOURCES, HANDLER, source)
    return source


@pytest.fixture
def petitions_component(org_a, admin_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        space = published_space(org_a, admin_a, "Droit de pétition")
        return published_component(
            space,
            admin_a,
            "petitions",
            "Pétitions",
            settings={"answer_threshold": 3, "debate_threshold": 5},
            creation_enabled=True,
            signing_enabled=True,
        )


@pytest.fixture
def author(org_a):
    return UserFactory(organization=org_a, nickname="camille")


BODY = (
    "<p>Nous demandons l'ouverture d'une piste cyclable sécurisée sur l'avenue Jean-Jaurès, "
    "entre la gare et le lycée.</p>"
)


@pytest.fixture
def make_petition(petitions_component, author, admin_a, people):
    def make(title="Une piste cyclable avenue Jean-Jaurès", body=BODY, deadline=None, publish=True):
        petition = services.do_draft(user=author, component=petitions_component, title=title, body=body)
        services.do_submit(petition=petition, user=author)
        if publish:
            petition = services.do_publish(
                petition=petition,
                user=admin_a,
                deadline=deadline or datetime.date.today() + datetime.timedelta(days=30),
                identity_handler=HANDLER,
            )
        petition.refresh_from_db()
        return petition

    return make


@pytest.fixture
def signer(org_a, people):
    def make(**kwargs):
        return people.verify(UserFactory(organization=org_a), **kwargs)

    return make
