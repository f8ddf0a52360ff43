"""Every view that deletes something for good asks first (``civitas.core.confirmation``).

The views are found, not listed: every URL pattern whose name says it deletes (delete,
remove, revoke, unlink…) or whose view (or a function of its module that it calls) runs
``.delete()`` or a ``do_delete_…``/``do_remove_…``/``do_revoke_…`` service. Each one is
either a case below, built on real objects, or an exclusion that says why it needs no
confirmation; a new deleting view that is neither fails the first test.

Each case is POSTed as the person allowed to delete, without the confirmation: the answer
is a page (200) asking in French, and the object is still there. POSTed again with the
confirmation, the object goes: the case really deletes, so the refusal is no accident.
"""

import datetime
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from civitas.amendments.models import Amendment
from civitas.authorizations.models import LetterBatch, LetterCode
from civitas.captcha.models import CaptchaQuestion
from civitas.comments.models import Comment
from civitas.comments.tests.helpers import add as add_comment
from civitas.comments.tests.helpers import make_page
from civitas.components.accountability.models import Result, Status
from civitas.components.budgets.models import Budget, Project
from civitas.components.majority_judgment.models import Candidate, Election
from civitas.components.majority_judgment.models import PaperBatch as BallotBox
from civitas.components.majority_judgment.models import PaperKeying as BallotKeying
from civitas.components.models import Component
from civitas.components.petitions.models import PaperBatch as SheetBundle
from civitas.components.petitions.models import PaperKeying as LineKeying
from civitas.components.petitions.models import Petition
from civitas.components.petitions.models import Status as PetitionStatus
from civitas.components.sortition import services as sortition
from civitas.components.sortition.models import Feature, Volunteer
from civitas.components.sortition.models import PaperKeying as FormKeying
from civitas.components.surveys.models import Batch, Keying, Question, Survey
from civitas.legal.models import HelpPage
from civitas.spaces.models import Phase
from civitas.testing.factories import DEFAULT_PASSWORD, UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = pytest.mark.django_db

# "withdraw": an outside tester found a volunteer withdrawn from a panel's pool in one click.
DELETING_NAME = re.compile(r"delete|remove|revoke|unlink|erase|purge|destroy|withdraw")
DELETING_CODE = re.compile(r"\.delete\(|\bdo_(?:delete|remove|revoke|withdraw)\w*\(")

# Views that delete a row but need no confirmation, and why.
TWO_FACTOR_OFF = "turning two-factor off takes a current code from the device: that code is the confirmation"
QUESTION_FORM = "options or rows taken out of a question's form go when the question is saved"
NOT_ASKED = {
    "backoffice:role_revoke": "takes a role back from a person: granted again in one step",
    "people_admin:invitation_revoke": (
        "withdraws an unanswered invitation and keeps it listed: sent again in one click (invitation_resend)"
    ),
    "budgets:remove": "a participant takes a project out of their own unsent ballot; added back in one click",
    "petitions:promoters": "the author takes a co-promoter off their draft; invited again in one step",
    "identity:unlink": "unlinks a sign-in provider from one's account; signing in with it links it again",
    "accounts:two_factor": TWO_FACTOR_OFF,
    "system:two_factor": TWO_FACTOR_OFF,
    "surveys_admin:question_edit": QUESTION_FORM,
    "surveys_admin:question_new": QUESTION_FORM,
    "proposals:support": "takes back one's own support for a proposal; given again in one click",
    "blog:endorse": "takes back one's own endorsement of a news post; given again in one click",
    "amendments:support": "takes back one's own support for an amendment; given again in one click",
    "sortition:withdraw": "a volunteer's own withdrawal asks inline: refused unless its box is ticked",
    "petitions:withdraw": (
        "asks on a page of its own (petitions/withdraw.html, tested there): "
        "not a deletion, one signs again until the last day"
    ),
}


def _module_functions_called(function) -> list:
    """The functions of the view's own module that it names: helpers that may do its deleting."""
    module = inspect.getmodule(function)
    return [
        value
        for name in function.__code__.co_names
        if inspect.isfunction(value := getattr(module, name, None)) and value.__module__ == module.__name__
    ]


def _view_code(callback) -> str:
    view = inspect.unwrap(getattr(callback, "view_class", callback))
    if inspect.isclass(view):
        return inspect.getsource(view)
    return "\n".join(inspect.getsource(f) for f in [view, *_module_functions_called(view)])


def _routes(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern.callback


def deleting_views() -> set[str]:
    found = set()
    for name, callback in _routes():
        if callback.__module__.startswith("django."):
            continue
        if DELETING_NAME.search(name.split(":")[-1]) or DELETING_CODE.search(_view_code(callback)):
            found.add(name)
    return found


@dataclass
class Case:
    url: str
    still_there: Callable[[], bool]
    data: dict = field(default_factory=dict)  # what the delete button posts
    confirmation: dict = field(default_factory=lambda: {"confirm_delete": "1"})
    asks_with: str = 'name="confirm_delete"'  # the field of the page that confirms


class World:
    def __init__(self, org, admin):
        self.org, self.admin = org, admin
        self.space = published_space(org, admin, "Budget participatif")
        self.person = admin  # who posts the deletion

    def component(self, manifest) -> Component:
        return published_component(self.space, self.admin, manifest, manifest.title())

    def admin_url(self, name, component, **kwargs) -> str:
        kwargs = {"space_id": self.space.pk, "component_id": component.pk, **kwargs}
        return reverse(name, kwargs=kwargs)


def _exists(model, pk) -> Callable[[], bool]:
    return lambda: model.objects.filter(pk=pk).exists()


def help_page(w):
    page = HelpPage.objects.create(organization=w.org, title="Voter", slug="voter", body="Comment voter.")
    return Case(reverse("legal_admin:help_delete", args=[page.pk]), _exists(HelpPage, page.pk))


def captcha_question(w):
    question = CaptchaQuestion.objects.create(
        organization=w.org, locale="fr", question="Quel fleuve ?", answers="Loire"
    )
    return Case(
        reverse("backoffice:captcha_question_delete", args=[question.pk]),
        _exists(CaptchaQuestion, question.pk),
    )


def home_block(w):
    from civitas.homepage.models import HomeBlock

    item = HomeBlock.objects.create(organization=w.org, kind="free_text", settings={"body": "<p>Bonjour</p>"})
    return Case(reverse("homepage_admin:block_delete", args=[item.pk]), _exists(HomeBlock, item.pk))


def phase(w):
    item = Phase.objects.create(space=w.space, title="Vote", position=5)
    return Case(reverse("backoffice:phase_delete", args=[w.space.pk, item.pk]), _exists(Phase, item.pk))


def process_group(w):
    from civitas.spaces.models import ProcessGroup

    item = ProcessGroup.objects.create(organization=w.org, slug="bp-2027", title="Budget participatif 2027")
    w.space.group = item
    w.space.save(update_fields=["group"])
    return Case(reverse("backoffice:group_delete", args=[item.pk]), _exists(ProcessGroup, item.pk))


def component(w):
    item = w.component("pages")
    return Case(
        reverse("backoffice:component_delete", args=[w.space.pk, item.pk]), _exists(Component, item.pk)
    )


def result(w):
    accountability = w.component("accountability")
    item = Result.objects.create(component=accountability, title="Piste cyclable")
    url = w.admin_url("accountability_admin:result_delete", accountability, result_id=item.pk)
    return Case(url, _exists(Result, item.pk))


def news_post(w):
    from civitas.components.blog.models import Post

    news = w.component("blog")
    item = Post.objects.create(component=news, title="Fête", body="<p>x</p>", published_at=timezone.now())
    return Case(w.admin_url("blog_admin:delete", news, post_id=item.pk), _exists(Post, item.pk))


def status(w):
    accountability = w.component("accountability")
    item = Status.objects.create(component=accountability, name="Réalisé", default_progress=100)
    url = w.admin_url("accountability_admin:status_delete", accountability, status_id=item.pk)
    return Case(url, _exists(Status, item.pk))


def budget(w):
    budgets = w.component("budgets")
    item = Budget.objects.create(component=budgets, title="Centre-ville", total=1000)
    return Case(
        w.admin_url("budgets_admin:budget_delete", budgets, budget_id=item.pk), _exists(Budget, item.pk)
    )


def project(w):
    budgets = w.component("budgets")
    envelope = Budget.objects.create(component=budgets, title="Centre-ville", total=1000)
    item = Project.objects.create(budget=envelope, title="Bancs", amount=200)
    url = w.admin_url("budgets_admin:project_delete", budgets, budget_id=envelope.pk, project_id=item.pk)
    return Case(url, _exists(Project, item.pk))


def candidate(w):
    vote = w.component("majority_judgment")
    item = Candidate.objects.create(election=Election.objects.get(component=vote), title="Jardin partagé")
    url = w.admin_url("majority_judgment_admin:candidate_delete", vote, candidate_id=item.pk)
    return Case(url, _exists(Candidate, item.pk))


def ballot_keying(w):
    vote = w.component("majority_judgment")
    box = BallotBox.objects.create(
        election=Election.objects.get(component=vote), label="Mairie", expected_count=3, created_by=w.admin
    )
    item = BallotKeying.objects.create(batch=box, keyed_by=w.admin, serial="B-0001", payload={})
    url = w.admin_url("majority_judgment_admin:paper_batch", vote, batch_id=box.pk)
    return Case(url, _exists(BallotKeying, item.pk), {"action": "delete", "keying": item.pk})


def feature(w):
    panel_component = w.component("sortition")
    panel = sortition.panel_of(panel_component)
    sortition.do_add_feature(
        panel=panel, user=w.admin, name="Genre", values_text="Femme: 50\nHomme: 50", tolerance=0
    )
    item = Feature.objects.get(panel=panel, name="Genre")
    url = w.admin_url("sortition_admin:delete_feature", panel_component, feature_id=item.pk)
    return Case(url, _exists(Feature, item.pk))


def form_keying(w):
    panel_component = w.component("sortition")
    item = FormKeying.objects.create(
        panel=sortition.panel_of(panel_component), form_number="F-12", keyed_by=w.admin, payload={}
    )
    url = w.admin_url("sortition_admin:delete_keying", panel_component, keying_id=item.pk)
    return Case(url, _exists(FormKeying, item.pk))


def volunteer(w):
    panel_component = w.component("sortition")
    item = Volunteer.objects.create(
        panel=sortition.panel_of(panel_component), name="Camille Martin", consent_at=timezone.now()
    )
    url = w.admin_url("sortition_admin:withdraw", panel_component, volunteer_id=item.pk)
    return Case(url, lambda: Volunteer.objects.filter(pk=item.pk, withdrawn_at__isnull=True).exists())


def proposal(w):
    from civitas.components.proposals.models import Proposal

    item = Proposal.objects.create(
        component=w.component("proposals"),
        author=w.admin,
        title="Un banc au square",
        body="<p>Un banc.</p>",
        published_at=timezone.now(),
    )
    url = reverse(
        "proposals:withdraw",
        kwargs={"space_slug": w.space.slug, "component_id": item.component_id, "proposal_id": item.pk},
    )
    return Case(url, lambda: not Proposal.objects.get(pk=item.pk).is_withdrawn)


def collaborative_draft(w):
    from civitas.components.proposals.models import CollaborativeDraft

    item = CollaborativeDraft.objects.create(
        component=w.component("proposals"),
        author=w.admin,
        title="Un préau à l’école",
        body="<p>Un préau.</p>",
    )
    url = reverse(
        "proposals:draft_withdraw",
        kwargs={"space_slug": w.space.slug, "component_id": item.component_id, "draft_id": item.pk},
    )
    return Case(url, lambda: CollaborativeDraft.objects.get(pk=item.pk).is_open)


def amendment(w):
    from civitas.amendments.services import do_create
    from civitas.components.proposals.models import Proposal
    from civitas.testing.components import configure_component

    component = w.component("proposals")
    configure_component(component, w.admin, amendments_enabled=True)
    author = UserFactory(organization=w.org, nickname="autrice")
    item = Proposal.objects.create(
        component=component,
        author=author,
        title="Des bancs au square",
        body="<p>Dix bancs.</p>",
        published_at=timezone.now(),
    )
    amended = do_create(
        user=w.admin,
        target=item,
        fields={"title": "Des bancs et une fontaine", "body": "<p>Douze bancs à l’ombre des tilleuls.</p>"},
        base_version=1,
    )
    return Case(
        reverse("amendments:withdraw", args=[amended.pk]),
        lambda: Amendment.objects.get(pk=amended.pk).is_pending,
    )


def survey_question(w):
    consultation = w.component("surveys")
    survey, _created = Survey.objects.get_or_create(component=consultation)
    item = Question.objects.create(survey=survey, type="short_text", label="Votre quartier ?", position=0)
    url = w.admin_url("surveys_admin:question_delete", consultation, question_id=item.pk)
    return Case(url, _exists(Question, item.pk))


def survey_keying(w):
    consultation = w.component("surveys")
    survey, _created = Survey.objects.get_or_create(component=consultation)
    bundle = Batch.objects.create(
        survey=survey, label="Courrier", channel=Batch.Channel.POST, created_by=w.admin
    )
    item = Keying.objects.create(batch=bundle, keyed_by=w.admin, serial="Q-0001", payload={})
    url = w.admin_url("surveys_admin:batch", consultation, batch_id=bundle.pk)
    return Case(url, _exists(Keying, item.pk), {"action": "delete", "keying": item.pk})


def signature_line_keying(w):
    petitions = w.component("petitions")
    today = datetime.date.today()
    petition = Petition.objects.create(
        component=petitions,
        author=UserFactory(organization=w.org),
        title="Une piste cyclable",
        body="<p>Nous demandons une piste cyclable.</p>",
        status=PetitionStatus.PUBLISHED,
        published_on=today,
        deadline=today + datetime.timedelta(days=30),
    )
    bundle = SheetBundle.objects.create(petition=petition, label="Mairie", created_by=w.admin)
    item = LineKeying.objects.create(batch=bundle, keyed_by=w.admin, line="1-1", payload={})
    url = w.admin_url("petitions_admin:batch", petitions, petition_id=petition.pk, batch_id=bundle.pk)
    return Case(url, _exists(LineKeying, item.pk), {"action": "delete", "keying": item.pk})


def letter_codes(w):
    today = datetime.date.today()
    batch = LetterBatch.objects.create(
        organization=w.org, created_on=today, expires_on=today + datetime.timedelta(days=60), size=1
    )
    code = LetterCode.objects.create(organization=w.org, batch=batch, digest="0" * 64)
    return Case(reverse("authorizations_admin:letters_revoke", args=[batch.pk]), _exists(LetterCode, code.pk))


def organization_role(w):
    holder = UserFactory(organization=w.org, nickname="adjointe", is_organization_admin=True)
    user_model = type(holder)
    return Case(
        reverse("people_admin:role_remove", args=[holder.pk]),
        lambda: user_model.objects.filter(pk=holder.pk, is_organization_admin=True).exists(),
        {"role": "organization_admin"},
    )


def comment(w):
    w.person = UserFactory(organization=w.org, nickname="bob")
    item = add_comment(w.person, make_page(w.org, w.admin, title="Règlement"), body="Mon avis, à effacer.")
    return Case(
        reverse("comments:delete", args=[item.pk]),
        lambda: Comment.objects.filter(pk=item.pk, deleted_at__isnull=True).exclude(body="").exists(),
    )


def account(w):
    w.person = UserFactory(organization=w.org, nickname="partante")
    person = w.person
    return Case(
        reverse("accounts:delete_account"),
        lambda: type(person).objects.filter(pk=person.pk, email=person.email).exists(),
        confirmation={"password": DEFAULT_PASSWORD},
        asks_with='name="password"',
    )


def text_article(w):
    from civitas.components.participatory_texts.models import Article
    from civitas.components.participatory_texts.tests.conftest import import_markdown

    text = w.component("participatory_texts")
    import_markdown(text, w.admin)
    item = Article.objects.filter(component=text).first()
    url = w.admin_url("participatory_texts_admin:article_delete", text, article_id=item.pk)
    return Case(url, _exists(Article, item.pk))


CASES = {
    "backoffice:captcha_question_delete": captcha_question,
    "people_admin:role_remove": organization_role,
    "participatory_texts_admin:article_delete": text_article,
    "legal_admin:help_delete": help_page,
    "backoffice:phase_delete": phase,
    "backoffice:group_delete": process_group,
    "homepage_admin:block_delete": home_block,
    "backoffice:component_delete": component,
    "accountability_admin:result_delete": result,
    "accountability_admin:status_delete": status,
    "blog_admin:delete": news_post,
    "budgets_admin:budget_delete": budget,
    "budgets_admin:project_delete": project,
    "majority_judgment_admin:candidate_delete": candidate,
    "majority_judgment_admin:paper_batch": ballot_keying,
    "sortition_admin:delete_feature": feature,
    "sortition_admin:delete_keying": form_keying,
    "sortition_admin:withdraw": volunteer,
    "proposals:withdraw": proposal,
    "proposals:draft_withdraw": collaborative_draft,
    "amendments:withdraw": amendment,
    "surveys_admin:question_delete": survey_question,
    "surveys_admin:batch": survey_keying,
    "petitions_admin:batch": signature_line_keying,
    "authorizations_admin:letters_revoke": letter_codes,
    "comments:delete": comment,
    "accounts:delete_account": account,
}


def test_every_deleting_view_asks_first_or_says_why_not():
    found = deleting_views()
    assert found - set(CASES) - set(NOT_ASKED) == set(), "a view deletes without a case here"
    assert set(CASES) | set(NOT_ASKED) <= found, "a case or an exclusion names a view that no longer deletes"


@pytest.mark.parametrize("route", sorted(CASES))
def test_a_deletion_without_its_confirmation_deletes_nothing_and_asks(route, client_a, org_a, admin_a):
    world = World(org_a, admin_a)
    case = CASES[route](world)
    client_a.force_login(world.person)
    refused = client_a.post(case.url, case.data)
    assert refused.status_code == 200, route
    assert case.still_there(), f"{route} deleted without confirmation"
    page = refused.content.decode()
    assert case.asks_with in page and 'lang="fr"' in page
    if "confirm_delete" in case.confirmation:
        assert "Je comprends que c’est irréversible." in page and "définitivement" in page
    client_a.post(case.url, {**case.data, **case.confirmation})
    assert not case.still_there(), f"{route} did not delete even when confirmed"
