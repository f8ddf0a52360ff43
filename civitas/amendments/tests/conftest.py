import pytest

from civitas.components.proposals import services as proposals
from civitas.spaces.models import SpaceRole
from civitas.testing.components import configure_component
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space

ALL_ON = {
    "creation_enabled": True,
    "amendments_enabled": True,
    "amendment_reactions_enabled": True,
    "amendment_promotion_enabled": True,
}


class Setting:
    """A proposals component whose phase takes amendments, and the people around it."""

    def __init__(self, org, admin):
        self.org, self.admin = org, admin
        self.space = published_space(org, admin, "Convention étudiante")
        self.component = published_component(self.space, admin, "proposals", "Propositions", **ALL_ON)
        self.author = UserFactory(organization=org, nickname="autrice", name="Awa Autrice")
        self.amender = UserFactory(organization=org, nickname="amendeur", name="Marc Amendeur")
        self.participant = UserFactory(organization=org, nickname="lea", name="Léa Lectrice")
        self.space_admin = UserFactory(organization=org, nickname="resp", name="Rita Responsable")
        SpaceRole.objects.create(space=self.space, user=self.space_admin, role=SpaceRole.Role.ADMIN)
        self.proposal = self.publish(
            self.author, "Des bancs au square", "<p>Dix bancs à l’ombre des tilleuls.</p>"
        )

    def publish(self, author, title, body):
        proposal = proposals.do_create_draft(user=author, component=self.component, title=title, body=body)
        proposals.do_publish(proposal=proposal, user=author)
        proposal.refresh_from_db()
        return proposal

    def configure(self, *, settings=None, **phase_values):
        configure_component(self.component, self.admin, settings=settings, **phase_values)
        self.component.refresh_from_db()
        self.proposal.component = self.component


@pytest.fixture
def world(org_a, admin_a):
    return Setting(org_a, admin_a)
