import pytest
from django.test import Client

from civitas.comments.services import CommentNotAllowed, do_add_comment
from civitas.components.debates import services
from civitas.components.debates.models import Debate
from civitas.moderation.models import Moderation
from civitas.moderation.services import do_hide, do_report
from civitas.testing.components import configure_component
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = pytest.mark.django_db


@pytest.fixture
def debates_component(org_a, admin_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        space = published_space(org_a, admin_a, "Grand débat")
        return published_component(space, admin_a, "debates", "Débats")


@pytest.fixture
def participant(org_a):
    return UserFactory(organization=org_a)


def test_participants_open_debates_only_when_the_phase_allows(
    client_a, admin_a, participant, debates_component
):
    base = debates_component.get_absolute_url()
    client_a.force_login(participant)
    assert client_a.get(f"{base}new/").status_code == 404
    with pytest.raises(services.DebateError):
        services.do_open_debate(
            user=participant, component=debates_component, title="Une question", description="x"
        )
    configure_component(debates_component, admin_a, creation_enabled=True)
    assert client_a.post(f"{base}new/", {"title": "Court", "description": "x"}).status_code == 200
    assert not Debate.objects.exists()
    response = client_a.post(
        f"{base}new/", {"title": "Faut-il fermer la rue aux voitures ?", "description": "Le dimanche."}
    )
    debate = Debate.objects.get()
    assert response["Location"] == debate.get_absolute_url()
    assert debate.author == participant and debate.published_at is not None
    assert "Faut-il fermer la rue" in Client(HTTP_HOST="commune-a.test").get(base).content.decode()


def test_comments_take_sides_and_closing_stops_them(client_a, org_a, admin_a, participant, debates_component):
    admin_base = f"/admin/spaces/{debates_component.space.pk}/components/{debates_component.pk}/debates/"
    client_a.force_login(admin_a)
    client_a.post(
        f"{admin_base}new/", {"title": "Un parking ou un parc ?", "description": "Le terrain vague."}
    )
    debate = Debate.objects.get()
    assert debate.is_official and debate.published_at is None
    client_a.post(f"{admin_base}{debate.pk}/publish/", {"published": "1"})
    debate.refresh_from_db()
    others = [UserFactory(organization=org_a) for _ in range(3)]
    do_add_comment(user=participant, resource=debate, body="Un parc !", alignment="for")
    do_add_comment(user=others[0], resource=debate, body="Oui au parc", alignment="for")
    do_add_comment(user=others[1], resource=debate, body="Non", alignment="against")
    do_add_comment(user=others[2], resource=debate, body="Je ne sais pas")
    assert services.alignment_counts(debate) == {"for": 2, "against": 1, "neutral": 1}
    page = Client(HTTP_HOST=org_a.host).get(debate.get_absolute_url()).content.decode()
    assert "Un parc !" in page and "comment-alignment-for" in page

    assert client_a.post(f"{admin_base}{debate.pk}/close/", {"conclusion": " "}).status_code == 200
    client_a.post(f"{admin_base}{debate.pk}/close/", {"conclusion": "Ce sera un parc."})
    debate.refresh_from_db()
    assert debate.is_closed and "Ce sera un parc." in debate.conclusion
    with pytest.raises(CommentNotAllowed):
        do_add_comment(user=participant, resource=debate, body="Trop tard")
    page = Client(HTTP_HOST=org_a.host).get(debate.get_absolute_url()).content.decode()
    assert "Ce sera un parc." in page


def test_participant_debates_cannot_be_edited_by_admins_but_can_be_hidden(
    client_a, admin_a, participant, debates_component
):
    configure_component(debates_component, admin_a, creation_enabled=True)
    debate = services.do_open_debate(
        user=participant, component=debates_component, title="Question de citoyen", description="Texte"
    )
    client_a.force_login(admin_a)
    admin_base = f"/admin/spaces/{debates_component.space.pk}/components/{debates_component.pk}/debates/"
    client_a.post(f"{admin_base}{debate.pk}/", {"title": "Réécrit", "description": "Autre"})
    debate.refresh_from_db()
    assert debate.title == "Question de citoyen"
    do_report(user=admin_a, resource=debate, reason="spam")
    do_hide(moderator=admin_a, moderation=Moderation.objects.get(object_id=debate.pk), reason="spam")
    assert Client(HTTP_HOST="commune-a.test").get(debate.get_absolute_url()).status_code == 404
