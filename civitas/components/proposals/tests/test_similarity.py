"""Similar proposals are found whatever the accents and the case of their titles."""

import pytest

from civitas.components.proposals import services
from civitas.components.proposals.models import Proposal
from civitas.components.proposals.similarity import similar_proposals
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _published(author, component, title):
    proposal = services.do_create_draft(
        user=author, component=component, title=title, body="Une proposition pour en parler."
    )
    services.do_publish(proposal=proposal, user=author)
    return proposal


def _draft(author, component, title):
    return services.do_create_draft(
        user=author, component=component, title=title, body="Une proposition pour en parler."
    )


@pytest.mark.parametrize(
    ("existing", "typed"),
    [
        # Every shared word differs by its accents, so that plain LIKE finds nothing.
        ("Réaménager l'été", "reamenager l'ETE"),
        ("REAMENAGER L'ETE", "réaménager l'été"),
        ("ÉCOLE ÉLÉMENTAIRE Jean-Zay", "une école élémentaire plus verte"),
        ("Cœur de ville piéton", "Un COEUR piéton"),
    ],
)
def test_accents_and_case_do_not_matter(proposals_component, admin_a, participant, existing, typed):
    other = _published(admin_a, proposals_component, existing)
    draft = _draft(participant, proposals_component, typed)
    assert similar_proposals(draft) == [other]


def test_unrelated_hidden_and_other_component_proposals_are_left_out(
    proposals_component, admin_a, participant, org_a
):
    related = _published(admin_a, proposals_component, "Réaménager la place du marché")
    _published(admin_a, proposals_component, "Des arbres rue Voltaire")
    hidden = _published(UserFactory(organization=org_a), proposals_component, "Réaménager la gare")
    Proposal.objects.filter(pk=hidden.pk).update(hidden_at=hidden.published_at)
    draft = _draft(participant, proposals_component, "REAMENAGER LA PLACE")
    assert similar_proposals(draft) == [related]


def test_the_folded_title_follows_edits(proposals_component, admin_a, participant):
    other = _published(admin_a, proposals_component, "Des bancs au parc")
    other.title = "Réaménager le square"
    other.save()
    assert similar_proposals(_draft(participant, proposals_component, "reamenager")) == [other]
