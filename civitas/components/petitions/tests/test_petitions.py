"""Drafting with co-promoters, review, signing once per person, withdrawal, thresholds."""

import datetime

import pytest
import time_machine
from django.test import Client

from civitas.components.petitions import services
from civitas.components.petitions.models import Milestone, Petition, Signature, Status
from civitas.notifications.models import Notification
from civitas.sealing.receipts import receipt_hash
from civitas.spaces.models import SpaceRole
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_co_promoters_must_accept_before_a_moderator_publishes(
    client_a, org_a, author, petitions_component, people
):
    base = petitions_component.get_absolute_url()
    client_a.force_login(author)
    response = client_a.post(
        f"{base}new/", {"title": "Un parc au bord du canal", "body": "x" * 80 + " un parc pour tous."}
    )
    petition = Petition.objects.get()
    assert response["Location"] == petition.get_absolute_url() and petition.status == Status.DRAFT
    assert Client(HTTP_HOST=org_a.host).get(petition.get_absolute_url()).status_code == 404

    friend = UserFactory(organization=org_a, email="alix@a.test", nickname="alix")
    client_a.post(f"{petition.get_absolute_url()}promoters/", {"email": "nobody@a.test"})
    client_a.post(f"{petition.get_absolute_url()}promoters/", {"email": "ALIX@a.test"})
    assert list(petition.promoters.values_list("user__nickname", flat=True)) == ["alix"]
    client_a.post(f"{petition.get_absolute_url()}submit/")
    petition.refresh_from_db()
    assert petition.status == Status.DRAFT  # the invitation is still pending

    friend_client = Client(HTTP_HOST=org_a.host)
    friend_client.force_login(friend)
    assert friend_client.get(petition.get_absolute_url()).status_code == 200
    friend_client.post(f"{petition.get_absolute_url()}invitation/", {"accept": "1"})
    client_a.post(f"{petition.get_absolute_url()}submit/")
    petition.refresh_from_db()
    assert petition.status == Status.SUBMITTED

    moderator = UserFactory(organization=org_a)
    SpaceRole.objects.create(space=petitions_component.space, user=moderator, role=SpaceRole.Role.MODERATOR)
    mod_client = Client(HTTP_HOST=org_a.host)
    mod_client.force_login(moderator)
    admin_base = (
        f"/admin/spaces/{petitions_component.space.pk}/components/{petitions_component.pk}/petitions/"
    )
    assert author.pk not in [moderator.pk] and client_a.get(admin_base).status_code == 403
    deadline = (datetime.date.today() + datetime.timedelta(days=60)).isoformat()
    mod_client.post(
        f"{admin_base}{petition.pk}/review/",
        {"decision": "publish", "deadline": deadline, "identity_handler": "test-identity"},
    )
    petition.refresh_from_db()
    assert petition.status == Status.PUBLISHED and petition.answer_threshold == 3
    assert petition.deadline.isoformat() == deadline and petition.counters.count() == 16
    page = Client(HTTP_HOST=org_a.host).get(petition.get_absolute_url()).content.decode()
    assert "Un parc au bord du canal" in page and friend.public_name in page


def test_a_declined_petition_shows_its_reason_and_cannot_be_signed(
    client_a, org_a, admin_a, make_petition, signer
):
    petition = make_petition(publish=False)
    with pytest.raises(services.PetitionError):
        services.do_decline(petition=petition, user=admin_a, reason="  ")
    services.do_decline(petition=petition, user=admin_a, reason="Hors des compétences de la commune.")
    petition.refresh_from_db()
    page = Client(HTTP_HOST=org_a.host).get(petition.get_absolute_url()).content.decode()
    assert "Hors des compétences de la commune." in page
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(signer())
    response = client.post(f"{petition.get_absolute_url()}sign/", {"confirm": "1"}, follow=True)
    assert "a été refusée" in response.content.decode() or "was declined" in response.content.decode()
    assert not Signature.objects.exists()


def test_an_unpublished_petition_cannot_be_signed(make_petition, signer):
    petition = make_petition(publish=False)
    with pytest.raises(services.PetitionError, match="not published|pas publiée"):
        services.do_sign(petition=petition, user=signer())
    assert not Signature.objects.exists()


def test_sign_once_per_person_with_a_receipt_and_withdraw(org_a, make_petition, signer, people):
    petition = make_petition()
    person = signer()
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(person)
    assert "Signer la pétition" in client.get(petition.get_absolute_url()).content.decode()
    response = client.post(f"{petition.get_absolute_url()}sign/", {"confirm": "1", "aggregates": "1"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    code = response.context["receipt_code"]
    assert code in response.content.decode()
    signature = Signature.objects.get()
    # Nothing names the account: two pseudonyms (the second matches paper sheets), a day, a
    # receipt hash and whether the signer is counted in the public figures.
    assert {field.name for field in Signature._meta.fields} == {
        "id",
        "petition",
        "pseudonym",
        "person",
        "day",
        "channel",
        "receipt_hash",
        "shares_aggregates",
    }
    assert signature.receipt_hash == receipt_hash(code) and code not in str(signature.__dict__)
    assert (signature.shares_aggregates, signature.day) == (True, datetime.date.today())
    # The birth year and département are counted apart, never beside the signature.
    assert list(petition.aggregates.values_list("birth_year", "departement", "signatures")) == [
        (1990, "69", 1)
    ]
    assert petition.counts() == {"online": 1, "paper": 0, "total": 1}

    # The same POST replayed, and a second account of the same person: one signature.
    client.post(f"{petition.get_absolute_url()}sign/", {"confirm": "1"})
    other_account = signer(subject=f"sub-{person.pk}")
    with pytest.raises(services.AlreadySigned):
        services.do_sign(petition=petition, user=other_account)
    assert Signature.objects.count() == 1 and petition.counts()["total"] == 1
    assert services.signer_status(petition, other_account).signed

    page = client.post(f"{petition.get_absolute_url()}receipt/", {"code": code.lower()}).content.decode()
    assert "est comptée" in page
    client.post(f"{petition.get_absolute_url()}withdraw/", {"confirm": "1"})
    assert not Signature.objects.exists() and petition.counts()["total"] == 0
    assert services.verify_receipt(petition, code) is False


def test_without_a_verified_identity_nothing_is_stored(org_a, make_petition):
    petition = make_petition()
    unverified = UserFactory(organization=org_a)
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(unverified)
    response = client.post(f"{petition.get_absolute_url()}sign/", {"confirm": "1"}, follow=True)
    assert "identité vérifiée" in response.content.decode()
    assert not Signature.objects.exists()


def test_the_same_person_has_unrelated_pseudonyms_in_two_petitions(make_petition, signer):
    first, second = make_petition(), make_petition(title="Des bancs place de la République")
    person = signer()
    services.do_sign(petition=first, user=person)
    services.do_sign(petition=second, user=person)
    pseudonyms = set(Signature.objects.values_list("pseudonym", flat=True))
    assert len(pseudonyms) == 2


def test_no_signature_or_withdrawal_after_the_last_day(make_petition, signer):
    petition = make_petition(deadline=datetime.date.today() + datetime.timedelta(days=2))
    early, late = signer(), signer()
    services.do_sign(petition=petition, user=early)
    later = datetime.datetime.combine(petition.deadline + datetime.timedelta(days=1), datetime.time(9))
    with time_machine.travel(later.replace(tzinfo=datetime.UTC), tick=False):
        with pytest.raises(services.PetitionError, match="pris fin"):
            services.do_sign(petition=petition, user=late)
        with pytest.raises(services.PetitionError):
            services.do_withdraw(petition=petition, user=early)
        assert Petition.objects.get(pk=petition.pk).public_state() == "closed"
    assert Signature.objects.count() == 1


def test_thresholds_make_milestones_and_tell_the_admins_once(
    org_a, admin_a, make_petition, signer, django_capture_on_commit_callbacks
):
    petition = make_petition()
    with django_capture_on_commit_callbacks(execute=True):
        for _index in range(5):
            services.do_sign(petition=petition, user=signer())
    petition.refresh_from_db()
    assert petition.threshold_reached_on == datetime.date.today()
    assert petition.public_state() == "threshold_reached"
    assert sorted(petition.milestones.values_list("kind", "threshold")) == [
        (Milestone.Kind.ANSWER, 3),
        (Milestone.Kind.DEBATE, 5),
    ]
    assert Notification.objects.filter(user=admin_a, kind="petition_milestone").count() == 2
    page = Client(HTTP_HOST=org_a.host).get(petition.get_absolute_url()).content.decode()
    assert "Jalons" in page and "débat public" in page

    services.do_answer(petition=petition, user=admin_a, answer="<p>La piste sera construite en 2027.</p>")
    petition.refresh_from_db()
    assert petition.public_state() == "answered"
    page = Client(HTTP_HOST=org_a.host).get(petition.get_absolute_url()).content.decode()
    assert "La piste sera construite en 2027." in page


def test_thresholds_in_percent_of_residents(admin_a, petitions_component):
    from civitas.testing.components import configure_component

    configure_component(
        petitions_component,
        admin_a,
        settings={"answer_threshold": 0, "residents": 48_211, "answer_threshold_percent": 5},
    )
    assert services.thresholds_for(petitions_component)["answer"] == 2411


def test_hostile_html_is_never_rendered(org_a, make_petition):
    petition = make_petition(
        body='<p onclick="steal()">Texte <script>alert(1)</script><a href="javascript:alert(2)">ici</a> '
        '<a href="https://evil.example/phish">voir</a><iframe src="https://evil.example"></iframe>'
        + " complément" * 10
        + "</p>"
    )
    page = Client(HTTP_HOST=org_a.host).get(petition.get_absolute_url()).content.decode()
    body = page[page.index('<div class="prose">') :]
    assert "<script>alert" not in body and "onclick" not in body and "javascript:" not in body
    assert "<iframe" not in body
    assert "/link/?url=https%3A%2F%2Fevil.example%2Fphish" in body
    assert 'rel="nofollow noopener noreferrer ugc"' in body


def test_filters_search_count_json_and_open_data(org_a, admin_a, make_petition, signer, petitions_component):
    from civitas.opendata.registry import all_datasets

    cycling = make_petition()
    benches = make_petition(title="Des bancs place de la République")
    for _index in range(3):
        services.do_sign(petition=cycling, user=signer())
    base = petitions_component.get_absolute_url()
    visitor = Client(HTTP_HOST=org_a.host)
    listed = visitor.get(base, {"state": "threshold_reached"}).content.decode()
    assert cycling.title in listed and benches.title not in listed
    listed = visitor.get(base, {"q": "bancs"}).content.decode()
    assert benches.title in listed and cycling.title not in listed
    assert visitor.get(f"{cycling.get_absolute_url()}count.json").json()["signatures"] == 3
    rows = {row["id"]: row for row in next(d for d in all_datasets() if d.name == "petitions").rows(org_a)}
    assert rows[cycling.pk]["signatures"] == 3 and rows[cycling.pk]["state"] == "threshold_reached"
    assert rows[benches.pk]["state"] == "open"


def test_published_petitions_are_searchable_drafts_are_not(
    org_a, author, make_petition, petitions_component, django_capture_on_commit_callbacks
):
    from civitas.search.queries import search

    with django_capture_on_commit_callbacks(execute=True):
        make_petition(title="Rouvrir la piscine municipale")
        services.do_draft(
            user=author, component=petitions_component, title="Piscine en brouillon", body="x" * 60
        )
    hits = search(user=UserFactory(organization=org_a), organization=org_a, query="piscine").hits
    assert [hit.document.title for hit in hits] == ["Rouvrir la piscine municipale"]


def test_a_forged_request_without_the_csrf_token_stores_nothing(org_a, make_petition, signer):
    petition = make_petition()
    client = Client(HTTP_HOST=org_a.host, enforce_csrf_checks=True)
    client.force_login(signer())
    assert client.post(f"{petition.get_absolute_url()}sign/", {"confirm": "1"}).status_code == 403
    assert not Signature.objects.exists()


def test_another_organization_sees_nothing(client_b, make_petition):
    petition = make_petition()
    assert client_b.get(petition.get_absolute_url()).status_code == 404
    assert client_b.get(f"{petition.get_absolute_url()}count.json").status_code == 404


def test_signing_needs_the_confirmation_box(org_a, make_petition, signer):
    petition = make_petition()
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(signer())
    response = client.post(f"{petition.get_absolute_url()}sign/", {}, follow=True)
    assert "Cochez la case" in response.content.decode() and not Signature.objects.exists()
