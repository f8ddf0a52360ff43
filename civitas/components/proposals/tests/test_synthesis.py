"""Merging, splitting and importing proposals: the synthesis step of a citizen convention."""

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from civitas.actionlog.models import ActionLogEntry
from civitas.actionlog.readable import readable_entry
from civitas.components.meetings.models import Meeting
from civitas.components.proposals import services, synthesis
from civitas.components.proposals.models import Proposal, ProposalLink, Support
from civitas.components.proposals.opendata import proposal_link_rows
from civitas.components.proposals.synthesis import Part, SynthesisError
from civitas.notifications.models import Notification
from civitas.spaces.models import SpaceRole
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space
from civitas.versions.services import versions_of

pytestmark = pytest.mark.django_db


def _proposal(component, author, title, **fields):
    return Proposal.objects.create(
        component=component,
        author=author,
        title=title,
        body=f"<p>{title}, en détail.</p>",
        published_at=timezone.now(),
        **fields,
    )


def _people(org, *names):
    return [UserFactory(organization=org, nickname=name, email=f"{name}@example.org") for name in names]


def _admin_url(name, component, **kwargs):
    return reverse(name, kwargs={"space_id": component.space_id, "component_id": component.pk, **kwargs})


def _visitor(org):
    return Client(HTTP_HOST=org.host)


@pytest.fixture
def authors(org_a):
    return _people(org_a, "ana", "bruno", "chloe")


@pytest.fixture
def three(proposals_component, authors):
    return [
        _proposal(proposals_component, author, title)
        for author, title in zip(
            authors, ("Des arbres rue Haute", "Ombrager la cour d'école", "Végétaliser la place"), strict=True
        )
    ]


def test_an_admin_merges_three_proposals_after_confirming(
    proposals_component, three, authors, admin_a, client_a, org_a, on_commit
):
    client_a.force_login(admin_a)
    url = _admin_url("proposals_admin:merge", proposals_component)
    form = client_a.get(url, {"proposals": [p.pk for p in three]}).content.decode()
    assert "Des arbres rue Haute / Ombrager la cour" in form  # prefilled with the originals' titles
    data = {
        "originals": ",".join(str(p.pk) for p in three),
        "part-0-title": "Un plan pour la fraîcheur en ville",
        "part-0-body": "<p>Planter, ombrager, végétaliser.</p>",
    }

    asked = client_a.post(url, data)
    assert asked.status_code == 200 and 'name="confirm_act"' in asked.content.decode()
    assert not ProposalLink.objects.exists()
    assert not Proposal.objects.filter(state=Proposal.State.MERGED).exists()

    with on_commit():
        done = client_a.post(url, {**data, "confirm_act": "1"})
    result = Proposal.objects.get(title="Un plan pour la fraîcheur en ville")
    assert done.status_code == 302 and done["Location"] == result.get_absolute_url()
    assert result.author == authors[0] and result.published_at is not None
    for original in three:
        original.refresh_from_db()
        assert original.state == Proposal.State.MERGED
        assert ProposalLink.objects.filter(kind="merged", source=original, target=result).exists()
        assert "Fusionnée dans « Un plan pour la fraîcheur en ville »" in list(versions_of(original))[-1].note
    first = versions_of(result)[0]
    assert first.note.startswith("Fusion de « Des arbres rue Haute »")
    assert "« Végétaliser la place »" in first.note
    entry = ActionLogEntry.objects.get(action="proposal.merge")
    assert entry.after["originals"] == sorted(p.pk for p in three)
    with translation.override("fr"):
        readable = readable_entry(entry)
    assert "Fusion" in str(readable.sentence)
    for author in authors:
        notice = Notification.objects.get(user=author, kind="proposal_merged")
        assert notice.url == result.get_absolute_url()

    visitor = _visitor(org_a)
    page = visitor.get(result.get_absolute_url()).content.decode()
    assert "Vient de" in page
    for original in three:
        assert original.get_absolute_url() in page
    for author in authors:
        assert author.public_name in page  # every original author is named as an author
    original_page = visitor.get(three[1].get_absolute_url()).content.decode()
    assert "Cette proposition a été fusionnée" in original_page
    assert result.get_absolute_url() in original_page
    listing = visitor.get(proposals_component.get_absolute_url()).content.decode()
    assert "Un plan pour la fraîcheur" in listing and "Des arbres rue Haute" not in listing


def test_supporters_of_the_originals_support_the_result_once_each(proposals_component, three, admin_a, org_a):
    both, one, elsewhere = _people(org_a, "dora", "eli", "fanny")
    other = _proposal(proposals_component, elsewhere, "Un banc")
    for user, proposal in ((both, three[0]), (both, three[1]), (one, three[1]), (elsewhere, other)):
        services.do_support(proposal=proposal, user=user)
    result = synthesis.do_merge(
        component=proposals_component,
        user=admin_a,
        proposal_ids=[three[0].pk, three[1].pk],
        part=Part("Ensemble", "<p>Les deux.</p>"),
    )
    result.refresh_from_db()
    assert result.support_count == 2
    assert sorted(result.supports.values_list("user__nickname", flat=True)) == ["dora", "eli"]
    assert not Support.objects.filter(proposal__in=three[:2]).exists()
    # Nobody spends more of a support limit than before the merge.
    assert Support.objects.filter(component=proposals_component, user=both).count() == 1
    assert Support.objects.get(proposal=other).user == elsewhere
    assert ActionLogEntry.objects.get(action="proposal.merge").after["supporters"] == 2

    stale = Proposal.objects.get(pk=three[0].pk)
    stale.state = Proposal.State.NOT_ANSWERED  # as a request that read the row before the merge
    with translation.override("en"), pytest.raises(services.ProposalError, match="merged or split"):
        services.do_support(proposal=stale, user=elsewhere)
    assert not Support.objects.filter(proposal=three[0]).exists()
    with pytest.raises(services.ProposalError):
        services.do_withdraw(proposal=Proposal.objects.get(pk=three[0].pk), user=three[0].author)


def test_a_support_below_the_minimum_stays_uncounted_on_the_result(
    proposals_component, three, admin_a, org_a
):
    (late,) = _people(org_a, "gael")
    Support.objects.create(proposal=three[0], user=late, component=proposals_component, counted=False)
    result = synthesis.do_merge(
        component=proposals_component,
        user=admin_a,
        proposal_ids=[three[0].pk, three[1].pk],
        part=Part("Ensemble", "<p>Les deux.</p>"),
    )
    assert Support.objects.get(proposal=result, user=late).counted is False
    assert Proposal.objects.get(pk=result.pk).support_count == 0


def test_merging_refuses_bad_selections_and_changes_nothing(proposals_component, three, admin_a, org_a):
    other_space = published_space(org_a, admin_a, "Autre démarche")
    elsewhere = published_component(other_space, admin_a, "proposals", "Ailleurs", creation_enabled=True)
    foreign = _proposal(elsewhere, three[0].author, "D'ailleurs")
    hidden = _proposal(proposals_component, three[0].author, "Masquée", hidden_at=timezone.now())
    draft = Proposal.objects.create(
        component=proposals_component, author=admin_a, title="Brouillon", body="x"
    )
    cases = [
        ([three[0].pk], "at least two"),
        ([three[0].pk, foreign.pk], "belong to this component"),
        ([three[0].pk, hidden.pk], "hidden"),
        ([three[0].pk, draft.pk], "not published"),
    ]
    for ids, message in cases:
        with translation.override("en"), pytest.raises(SynthesisError, match=message):
            synthesis.do_merge(
                component=proposals_component, user=admin_a, proposal_ids=ids, part=Part("Titre", "<p>x</p>")
            )
    with translation.override("en"), pytest.raises(SynthesisError, match="title and a text"):
        synthesis.do_merge(
            component=proposals_component,
            user=admin_a,
            proposal_ids=[three[0].pk, three[1].pk],
            part=Part("  ", "<p>x</p>"),
        )
    synthesis.do_merge(
        component=proposals_component,
        user=admin_a,
        proposal_ids=[three[0].pk, three[1].pk],
        part=Part("A", "<p>a</p>"),
    )
    with translation.override("en"), pytest.raises(SynthesisError, match="merged or split already"):
        synthesis.do_merge(
            component=proposals_component,
            user=admin_a,
            proposal_ids=[three[0].pk, three[2].pk],
            part=Part("B", "<p>b</p>"),
        )
    assert Proposal.objects.get(pk=three[2].pk).state == Proposal.State.NOT_ANSWERED
    assert (
        ProposalLink.objects.count() == 2
        and ActionLogEntry.objects.filter(action="proposal.merge").count() == 1
    )


def test_an_admin_splits_a_proposal_with_links_both_ways(
    proposals_component, three, authors, admin_a, client_a, org_a, on_commit
):
    original = three[0]
    url = _admin_url("proposals_admin:split", proposals_component, proposal_id=original.pk)
    client_a.force_login(admin_a)
    assert client_a.get(url, {"parts": "3"}).content.decode().count('name="part-2-title"') == 1
    data = {
        "parts": "2",
        "part-0-title": "Des arbres côté nord",
        "part-0-body": "<p>Nord.</p>",
        "part-1-title": "Des arbres côté sud",
        "part-1-body": "<p>Sud.</p>",
    }
    assert client_a.post(url, data).status_code == 200
    assert not ProposalLink.objects.exists()
    with on_commit():
        client_a.post(url, {**data, "confirm_act": "1"})
    original.refresh_from_db()
    assert original.state == Proposal.State.SPLIT
    pieces = [link.target for link in ProposalLink.objects.filter(kind="split", source=original)]
    assert [piece.title for piece in pieces] == ["Des arbres côté nord", "Des arbres côté sud"]
    assert all(piece.author == authors[0] for piece in pieces)
    assert versions_of(pieces[0])[0].note == "Issue du découpage de « Des arbres rue Haute »"
    assert Notification.objects.filter(user=authors[0], kind="proposal_split").count() == 1
    assert ActionLogEntry.objects.get(action="proposal.split").after["parts"] == [p.pk for p in pieces]
    page = _visitor(org_a).get(original.get_absolute_url()).content.decode()
    assert "Cette proposition a été découpée" in page
    assert pieces[0].get_absolute_url() in page and pieces[1].get_absolute_url() in page
    piece_page = _visitor(org_a).get(pieces[1].get_absolute_url()).content.decode()
    assert original.get_absolute_url() in piece_page
    with translation.override("en"), pytest.raises(SynthesisError, match="at least two"):
        synthesis.do_split(
            component=proposals_component,
            user=admin_a,
            proposal_id=three[1].pk,
            parts=[Part("Seule", "<p>x</p>")],
        )


@pytest.fixture
def convention(org_a, admin_a):
    """A second proposals component of the same organization, in another space, with answered proposals."""
    space = published_space(org_a, admin_a, "Convention des étudiants")
    component = published_component(space, admin_a, "proposals", "Propositions de la convention")
    ana, bruno, chloe = _people(org_a, "hugo", "ines", "jules")
    return {
        "component": component,
        "accepted": _proposal(component, ana, "Une cantine bio", state=Proposal.State.ACCEPTED),
        "accepted_hidden": _proposal(
            component, bruno, "Cachée", state=Proposal.State.ACCEPTED, hidden_at=timezone.now()
        ),
        "rejected": _proposal(component, chloe, "Un parking", state=Proposal.State.REJECTED),
    }


def test_importing_accepted_proposals_twice_copies_them_once(
    proposals_component, convention, admin_a, client_a, org_a, on_commit
):
    url = _admin_url("proposals_admin:publish_imports", proposals_component)
    client_a.force_login(admin_a)
    assert "Propositions de la convention" in client_a.get(url).content.decode()
    data = {
        "import-source": str(convention["component"].pk),
        "import-states": ["accepted"],
        "import-keep_authors": "on",
    }
    assert client_a.post(url, data).status_code == 200
    assert not ProposalLink.objects.exists()
    with on_commit():
        client_a.post(url, {**data, "confirm_act": "1"})
    (copy,) = Proposal.objects.filter(component=proposals_component)
    assert copy.title == "Une cantine bio" and copy.author == convention["accepted"].author
    assert copy.state == Proposal.State.NOT_ANSWERED
    assert ProposalLink.objects.get(kind="imported").source == convention["accepted"]
    assert Notification.objects.filter(user=copy.author, kind="proposal_imported").count() == 1
    assert versions_of(copy)[0].note == "Importée de « Une cantine bio » (Convention des étudiants)"

    client_a.post(url, {**data, "confirm_act": "1"})
    assert Proposal.objects.filter(component=proposals_component).count() == 1
    assert (
        ActionLogEntry.objects.filter(action="proposal.import_component")
        .order_by("pk")
        .last()
        .after["imported"]
        == []
    )

    copies = synthesis.do_import_from_component(
        component=proposals_component,
        user=admin_a,
        source=convention["component"],
        states=["accepted", "rejected"],
        keep_authors=False,
    )
    assert [c.title for c in copies] == ["Un parking"] and copies[0].author == admin_a

    source_page = _visitor(org_a).get(convention["accepted"].get_absolute_url()).content.decode()
    assert copy.get_absolute_url() in source_page
    copy_page = _visitor(org_a).get(copy.get_absolute_url()).content.decode()
    assert convention["accepted"].get_absolute_url() in copy_page


def test_imports_across_organizations_or_from_oneself_are_refused(
    proposals_component, convention, admin_a, org_b, client_a
):
    admin_b = UserFactory(organization=org_b, is_organization_admin=True)
    foreign = published_component(
        published_space(org_b, admin_b, "Ailleurs"), admin_b, "proposals", "Idées B"
    )
    _proposal(foreign, admin_b, "Proposition de B", state=Proposal.State.ACCEPTED)
    for source in (foreign, proposals_component):
        with translation.override("en"), pytest.raises(SynthesisError, match="another proposals component"):
            synthesis.do_import_from_component(
                component=proposals_component,
                user=admin_a,
                source=source,
                states=["accepted"],
                keep_authors=True,
            )
    client_a.force_login(admin_a)
    url = _admin_url("proposals_admin:publish_imports", proposals_component)
    page = client_a.post(
        url, {"import-source": str(foreign.pk), "import-states": ["accepted"], "confirm_act": "1"}
    )
    assert page.status_code == 200 and "Idées B" not in page.content.decode()
    assert not Proposal.objects.filter(component=proposals_component).exists()


def test_a_space_admin_imports_only_from_spaces_they_administer(proposals_component, convention, org_a):
    (space_admin,) = _people(org_a, "karim")
    SpaceRole.objects.create(space=proposals_component.space, user=space_admin, role="admin")
    assert synthesis.importable_components(space_admin, proposals_component) == []
    with pytest.raises(SynthesisError):
        synthesis.do_import_from_component(
            component=proposals_component,
            user=space_admin,
            source=convention["component"],
            states=["accepted"],
            keep_authors=True,
        )


def test_proposals_written_from_a_closed_meeting_link_to_it(proposals_component, admin_a, client_a, org_a):
    meetings = published_component(proposals_component.space, admin_a, "meetings", "Réunions")
    start = timezone.now() - datetime.timedelta(days=2)
    values = {"start_time": start, "end_time": start + datetime.timedelta(hours=2), "published_at": start}
    closed = Meeting.objects.create(
        component=meetings,
        title="Atelier mobilités",
        minutes="<p>Conclusion : une rue scolaire.</p>",
        closed_at=timezone.now(),
        **values,
    )
    still_open = Meeting.objects.create(component=meetings, title="Atelier à venir", **values)
    client_a.force_login(admin_a)
    url = _admin_url("proposals_admin:publish_meeting_proposals", proposals_component)
    form = client_a.get(url, {"choose-meeting": closed.pk}).content.decode()
    assert "Conclusion : une rue scolaire." in form
    refused = client_a.get(url, {"choose-meeting": still_open.pk})
    assert refused.status_code == 302
    data = {
        "choose-meeting": str(closed.pk),
        "parts": "1",
        "part-0-title": "Une rue scolaire devant l'école",
        "part-0-body": "<p>Fermer la rue aux voitures aux heures d'entrée.</p>",
    }
    assert client_a.post(url, data).status_code == 200
    assert not Proposal.objects.exists()
    client_a.post(url, {**data, "confirm_act": "1"})
    (created,) = Proposal.objects.all()
    assert list(closed.proposals.all()) == [created] and created.author == admin_a
    assert versions_of(created)[0].note == "Issue de la réunion « Atelier mobilités »"
    page = _visitor(org_a).get(created.get_absolute_url()).content.decode()
    assert closed.get_absolute_url() in page
    with pytest.raises(SynthesisError):
        synthesis.do_import_from_meeting(
            component=proposals_component, user=admin_a, meeting=still_open, parts=[Part("x", "<p>x</p>")]
        )


def test_hidden_or_private_proposals_never_show_through_a_link(
    proposals_component, three, admin_a, org_a, convention
):
    result = synthesis.do_merge(
        component=proposals_component,
        user=admin_a,
        proposal_ids=[three[0].pk, three[1].pk],
        part=Part("Ensemble", "<p>Les deux.</p>"),
    )
    visitor = _visitor(org_a)
    assert "Des arbres rue Haute" in visitor.get(result.get_absolute_url()).content.decode()  # cached now
    hidden = Proposal.objects.get(pk=three[0].pk)
    hidden.hidden_at = timezone.now()
    hidden.save(update_fields=["hidden_at"])
    page = visitor.get(result.get_absolute_url()).content.decode()
    assert "Des arbres rue Haute" not in page and "Ombrager la cour" in page
    assert ("merged", three[0].pk, result.pk) not in {
        (row["kind"], row["source_id"], row["target_id"]) for row in proposal_link_rows(org_a)
    }
    assert ("merged", three[1].pk, result.pk) in {
        (row["kind"], row["source_id"], row["target_id"]) for row in proposal_link_rows(org_a)
    }

    # An import from a space that becomes private: the copy's page stops naming its original,
    # even for visitors served from the cache.
    (copy,) = synthesis.do_import_from_component(
        component=proposals_component,
        user=admin_a,
        source=convention["component"],
        states=["accepted"],
        keep_authors=True,
    )
    assert "Une cantine bio</a>" in visitor.get(copy.get_absolute_url()).content.decode()
    private = convention["component"].space
    private.visibility = "private"
    private.save()
    page = visitor.get(copy.get_absolute_url()).content.decode()
    assert convention["accepted"].get_absolute_url() not in page
    assert not [row for row in proposal_link_rows(org_a) if row["kind"] == "imported"]


@pytest.mark.parametrize("role", ["participant", "member", "moderator", "evaluator", "other_space_admin"])
def test_only_admins_of_the_space_merge_split_or_import(proposals_component, three, org_a, admin_a, role):
    (user,) = _people(org_a, "lea")
    if role == "other_space_admin":
        SpaceRole.objects.create(space=published_space(org_a, admin_a, "Autre"), user=user, role="admin")
    elif role != "participant":
        SpaceRole.objects.create(space=proposals_component.space, user=user, role=role)
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(user)
    ids = ",".join(str(p.pk) for p in three)
    posts = [
        (
            "proposals_admin:merge",
            {},
            {"originals": ids, "part-0-title": "x", "part-0-body": "x", "confirm_act": "1"},
        ),
        ("proposals_admin:split", {"proposal_id": three[0].pk}, {"confirm_act": "1"}),
        ("proposals_admin:publish_imports", {}, {"confirm_act": "1"}),
        ("proposals_admin:publish_meeting_proposals", {}, {"confirm_act": "1"}),
    ]
    for name, kwargs, data in posts:
        url = _admin_url(name, proposals_component, **kwargs)
        assert client.get(url).status_code == 403, name
        assert client.post(url, data).status_code == 403, name
    assert not ProposalLink.objects.exists() and Proposal.objects.count() == 3


def test_the_admin_export_carries_the_links(proposals_component, three, admin_a, client_a):
    result = synthesis.do_merge(
        component=proposals_component,
        user=admin_a,
        proposal_ids=[three[0].pk, three[1].pk],
        part=Part("Ensemble", "<p>Les deux.</p>"),
    )
    client_a.force_login(admin_a)
    response = client_a.get(_admin_url("proposals_admin:export", proposals_component), {"format": "json"})
    rows = {row["id"]: row for row in json.loads(b"".join(response.streaming_content))}
    assert rows[result.pk]["comes_from"] == f"merged:{three[0].pk} merged:{three[1].pk}"
    assert rows[three[0].pk]["led_to"] == f"merged:{result.pk}"


def test_a_split_gives_the_supports_back_within_the_limit(proposals_component, admin_a, org_a):
    """Found by an outside try: a support on a split proposal stayed taken, so the
    supporter had one less to give to the pieces, with no way to withdraw it."""
    from civitas.components.proposals import services as proposal_services
    from civitas.components.proposals.synthesis import Part, do_split
    from civitas.testing.components import configure_component
    from civitas.testing.factories import UserFactory

    configure_component(
        proposals_component, admin_a, creation_enabled=True, supports="enabled", settings={"support_limit": 1}
    )
    author, camille = UserFactory(organization=org_a), UserFactory(organization=org_a)
    original = proposal_services.do_create_draft(
        user=author, component=proposals_component, title="Un parc et une piscine", body="<p>Les deux.</p>"
    )
    proposal_services.do_publish(proposal=original, user=author)
    proposal_services.do_support(proposal=original, user=camille)
    pieces = do_split(
        component=proposals_component,
        user=admin_a,
        proposal_id=original.pk,
        parts=[
            Part("Un parc au centre", "<p>Un parc.</p>"),
            Part("Une piscine au nord", "<p>Une piscine.</p>"),
        ],
    )
    original.refresh_from_db()
    assert original.support_count == 1  # kept as a record
    proposal_services.do_support(proposal=pieces[0], user=camille)  # her one support, given again
    assert pieces[0].supports.filter(user=camille).exists()
