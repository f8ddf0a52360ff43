"""Every back-office act that cannot be undone asks first: closing a vote, publishing
results or answers, sealing, publishing a lottery, drawing lots.

The acts are found, not listed: every back-office URL pattern (an ``…_admin`` namespace,
the back-office, moderation, the system panel) whose name has one of the words of
ACT_WORDS. Each is either a case below, built on real objects, or an exclusion that says
why it needs no confirmation; a new act that is neither fails the first test.

Each case is POSTed as an admin without the confirmation: nothing happens, and the answer
is a page asking (200, with the box) or a way back saying why (302). POSTed again with the
confirmation, the act is done: the case really acts, so the refusal is no accident.
Deletions have their own check (``test_deletions_ask_first``).
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from civitas.components.budgets.models import Budget
from civitas.components.majority_judgment.models import Candidate, Election
from civitas.components.petitions.models import Petition, SealedList
from civitas.components.petitions.models import Status as PetitionStatus
from civitas.components.proposals.answers import do_save_answer
from civitas.components.proposals.models import Proposal
from civitas.components.sortition import services as sortition
from civitas.components.sortition.models import Panel
from civitas.components.sortition.tests.conftest import add_volunteers, publish_earlier, setup_panel
from civitas.components.surveys import services as surveys
from civitas.components.surveys.models import Question, Survey
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = pytest.mark.django_db

ACT_WORDS = {
    "close", "publish", "seal", "draw", "draws", "send", "answer", "answers", "cancel",
    "keys", "compute", "print", "letters", "block", "freeze", "invite", "count",
    "merge", "split",
}  # fmt: skip

TOGGLE = "a switch between published and not: turned back in one click"
KEYS = "who holds the counting key, chosen before the first ballot and named again until then"
PRINTED = "numbers paper forms to print; nothing counts until they are keyed"
PRINT_RUN = "the PDF of a print run already made; changes nothing"
NOT_ASKED = {
    "backoffice:space_publish": TOGGLE,
    "backoffice:component_publish": TOGGLE,
    "debates_admin:publish": TOGGLE,
    "meetings_admin:publish": TOGGLE,
    "moderation:block": "blocking an account is lifted in one click (moderation:unblock)",
    # "block" here is a block of the home page: arranged, edited and shown again at will.
    "homepage_admin:block_create": "adds a block to the home page; removed again at will",
    "homepage_admin:block_edit": "a block's form, saved again to amend it",
    "homepage_admin:block_move": "moves a block one place; moved back in one click",
    "homepage_admin:block_visibility": TOGGLE,
    "homepage_admin:block_delete": "a deletion: asked first, checked by test_deletions_ask_first",
    "budgets_admin:keys": KEYS,
    "majority_judgment_admin:keys": KEYS,
    "surveys_admin:keys": KEYS,
    "sortition_admin:compute": "computes the lottery privately; computed again at will until it is published",
    "sortition_admin:cancel_publication": (
        "withdraws a lottery that cannot be drawn, with an explanation typed and shown in public: "
        "that explanation is the deliberate step"
    ),
    "meetings_admin:close": "the closing report (minutes, attendance) is a form saved again to amend it",
    "debates_admin:close": "the conclusion is a form written on its own page and saved again to amend it",
    "petitions_admin:answer": "the answer is written on its own page and saved again to amend it",
    "authorizations_admin:letters": "letter codes printed for the post; revoked as a batch (letters_revoke)",
    "authorizations_admin:letters_revoke": "a deletion: asked first, checked by test_deletions_ask_first",
    "majority_judgment_admin:paper_print_new": PRINTED,
    "majority_judgment_admin:paper_print": PRINT_RUN,
    "surveys_admin:print": PRINTED,
    "surveys_admin:print_run": PRINT_RUN,
    "newsletters_admin:send_test": "sends the newsletter to the admin's own address only; sent again at will",
}


def _routes(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def irreversible_acts() -> set[str]:
    found = set()
    for name in _routes():
        namespace, _colon, short = name.rpartition(":")
        back_office = namespace.endswith("_admin") or namespace in {"backoffice", "moderation", "system"}
        if back_office and ACT_WORDS & set(re.split(r"[_-]", short)):
            found.add(name)
    return found


@dataclass
class Case:
    url: str
    done: Callable[[], bool]
    data: dict = field(default_factory=dict)  # what the act's form posts
    confirmation: dict = field(default_factory=lambda: {"confirm_act": "1"})


class World:
    def __init__(self, org, admin, on_commit):
        self.org, self.admin, self.on_commit = org, admin, on_commit
        self.space = published_space(org, admin, "Convention citoyenne")

    def component(self, manifest, **phase_settings):
        return published_component(self.space, self.admin, manifest, manifest.title(), **phase_settings)

    def admin_url(self, name, component, **kwargs) -> str:
        return reverse(name, kwargs={"space_id": self.space.pk, "component_id": component.pk, **kwargs})


CLOSING = {"confirm_closing": "1"}


def close_budgets(w):
    component = w.component("budgets")
    budget = Budget.objects.create(component=component, title="Centre-ville", total=1000)
    done = lambda: Budget.objects.get(pk=budget.pk).is_frozen  # noqa: E731
    return Case(w.admin_url("budgets_admin:close", component), done, confirmation=CLOSING)


def close_majority_judgment(w):
    component = w.component("majority_judgment", voting_enabled=True)
    election = Election.objects.get(component=component)
    Candidate.objects.create(election=election, title="Jardin partagé")
    done = lambda: Election.objects.get(pk=election.pk).is_frozen  # noqa: E731
    return Case(w.admin_url("majority_judgment_admin:close", component), done, confirmation=CLOSING)


def _survey(w):
    component = w.component("surveys")
    survey, _created = Survey.objects.get_or_create(component=component)
    Question.objects.create(survey=survey, type="short_text", label="Votre quartier ?", position=0)
    return component, survey


def close_survey(w):
    component, survey = _survey(w)
    done = lambda: Survey.objects.get(pk=survey.pk).is_frozen  # noqa: E731
    return Case(w.admin_url("surveys_admin:close", component), done, confirmation=CLOSING)


def publish_survey_results(w):
    component, survey = _survey(w)
    surveys.do_close(survey=survey, user=w.admin)
    done = lambda: Survey.objects.get(pk=survey.pk).results_published_at is not None  # noqa: E731
    return Case(w.admin_url("surveys_admin:publish", component), done, {"published": "1"})


def seal_petition(w):
    component = w.component("petitions")
    today = datetime.date.today()
    petition = Petition.objects.create(
        component=component,
        author=UserFactory(organization=w.org),
        title="Une piste cyclable",
        body="<p>Nous demandons une piste cyclable.</p>",
        status=PetitionStatus.PUBLISHED,
        published_on=today,
        deadline=today + datetime.timedelta(days=30),
    )
    url = w.admin_url("petitions_admin:seal", component, petition_id=petition.pk)
    return Case(url, lambda: SealedList.objects.filter(petition=petition).exists())


def publish_proposal_answers(w):
    component = w.component("proposals")
    proposal = Proposal.objects.create(
        component=component,
        author=w.admin,
        title="Un banc au square",
        body="<p>Un banc.</p>",
        published_at=timezone.now(),
    )
    data = {"answer_state": "accepted", "answer": "<p>Oui.</p>", "feasibility_notes": ""}
    do_save_answer(proposal=proposal, user=w.admin, data=data, publish=False)
    done = lambda: Proposal.objects.get(pk=proposal.pk).answer_published_at is not None  # noqa: E731
    return Case(w.admin_url("proposals_admin:publish_answers", component), done)


def _open_proposals(w, component, *titles):
    return [
        Proposal.objects.create(
            component=component,
            author=w.admin,
            title=title,
            body="<p>Texte.</p>",
            published_at=timezone.now(),
        )
        for title in titles
    ]


def merge_proposals(w):
    component = w.component("proposals")
    first, second = _open_proposals(w, component, "Des arbres", "De l'ombre")
    data = {
        "originals": f"{first.pk},{second.pk}",
        "part-0-title": "La fraîcheur",
        "part-0-body": "Texte commun",
    }
    done = lambda: Proposal.objects.filter(pk=first.pk, state="merged").exists()  # noqa: E731
    return Case(w.admin_url("proposals_admin:merge", component), done, data)


def split_proposal(w):
    component = w.component("proposals")
    (original,) = _open_proposals(w, component, "Des arbres et des bancs")
    data = {
        "parts": "2",
        "part-0-title": "Des arbres",
        "part-0-body": "Planter",
        "part-1-title": "Des bancs",
        "part-1-body": "Installer",
    }
    done = lambda: Proposal.objects.filter(pk=original.pk, state="split").exists()  # noqa: E731
    return Case(w.admin_url("proposals_admin:split", component, proposal_id=original.pk), done, data)


def import_proposals(w):
    component = w.component("proposals")
    source = w.component("proposals")
    (original,) = _open_proposals(w, source, "Une cantine bio")
    Proposal.objects.filter(pk=original.pk).update(state="accepted")
    data = {"import-source": str(source.pk), "import-states": "accepted", "import-keep_authors": "on"}
    done = lambda: Proposal.objects.filter(component=component).exists()  # noqa: E731
    return Case(w.admin_url("proposals_admin:publish_imports", component), done, data)


def import_meeting_conclusions(w):
    from civitas.components.meetings.models import Meeting

    component = w.component("proposals")
    start = timezone.now() - datetime.timedelta(days=1)
    meeting = Meeting.objects.create(
        component=w.component("meetings"),
        title="Atelier",
        start_time=start,
        end_time=start + datetime.timedelta(hours=1),
        published_at=start,
        closed_at=timezone.now(),
        minutes="<p>Une rue scolaire.</p>",
    )
    data = {
        "choose-meeting": str(meeting.pk),
        "parts": "1",
        "part-0-title": "Rue scolaire",
        "part-0-body": "Oui",
    }
    done = lambda: meeting.proposals.exists()  # noqa: E731
    return Case(w.admin_url("proposals_admin:publish_meeting_proposals", component), done, data)


POOL = [("Femme", "Jeune", 2), ("Femme", "Âgé", 4), ("Homme", "Jeune", 3), ("Homme", "Âgé", 6)]


def _computed_panel(w):
    component = w.component("sortition", registration_enabled=True)
    panel = setup_panel(component, w.admin)
    add_volunteers(panel, POOL)
    with w.on_commit():  # the computation runs as a task once the request has committed
        sortition.do_start_computation(panel=panel, user=w.admin)
    panel.refresh_from_db()
    assert panel.state == Panel.State.COMPUTED
    return component, panel


def publish_lottery(w):
    component, panel = _computed_panel(w)
    later = timezone.localtime() + datetime.timedelta(days=2)
    data = {
        "seed_kind": "public_draw",
        "seed_description": "Euromillions du vendredi",
        "draw_at": later.strftime("%Y-%m-%dT%H:%M"),
    }
    done = lambda: Panel.objects.get(pk=panel.pk).state == Panel.State.PUBLISHED  # noqa: E731
    return Case(w.admin_url("sortition_admin:publish", component), done, data)


def draw_panel(w):
    component, panel = _computed_panel(w)
    publish_earlier(panel, w.admin)
    done = lambda: Panel.objects.get(pk=panel.pk).state == Panel.State.DRAWN  # noqa: E731
    return Case(w.admin_url("sortition_admin:draw", component), done, {"seed": "3 6 1 4"})


def publish_terms(w):
    from civitas.legal.models import TermsVersion

    data = {"title": "", "body": "Respect et bienveillance.", "summary": "Première version"}
    done = lambda: TermsVersion.objects.filter(organization=w.org).exists()  # noqa: E731
    return Case(reverse("legal_admin:terms_publish"), done, data=data)


def send_newsletter(w):
    from civitas.newsletters import services as newsletters
    from civitas.newsletters.models import Newsletter

    newsletters.do_set_consent(UserFactory(organization=w.org), True, source="signup")
    newsletter = newsletters.do_create_newsletter(
        organization=w.org, user=w.admin, subject="Le vote ouvre", body="<p>Votez.</p>", audience="all"
    )
    done = lambda: not Newsletter.objects.get(pk=newsletter.pk).is_draft  # noqa: E731
    return Case(reverse("newsletters_admin:send", args=[newsletter.pk]), done)


def publish_participatory_text(w):
    from civitas.components.participatory_texts.models import TextVersion
    from civitas.components.participatory_texts.tests.conftest import import_markdown

    component = w.component("participatory_texts")
    import_markdown(component, w.admin)
    done = lambda: TextVersion.objects.filter(component=component).exists()  # noqa: E731
    return Case(w.admin_url("participatory_texts_admin:publish", component), done, {"note": "Projet"})


CASES = {
    "legal_admin:terms_publish": publish_terms,
    "newsletters_admin:send": send_newsletter,
    "participatory_texts_admin:publish": publish_participatory_text,
    "budgets_admin:close": close_budgets,
    "majority_judgment_admin:close": close_majority_judgment,
    "surveys_admin:close": close_survey,
    "surveys_admin:publish": publish_survey_results,
    "petitions_admin:seal": seal_petition,
    "proposals_admin:publish_answers": publish_proposal_answers,
    "proposals_admin:merge": merge_proposals,
    "proposals_admin:split": split_proposal,
    "proposals_admin:publish_imports": import_proposals,
    "proposals_admin:publish_meeting_proposals": import_meeting_conclusions,
    "sortition_admin:publish": publish_lottery,
    "sortition_admin:draw": draw_panel,
}
# Asked the same way (core.confirmation.act_confirmed), tested in sortition's own tests of
# proposal draws, whose set-up takes a proposals component and a published list.
ASKED_ELSEWHERE = {
    "sortition_admin:proposal_draws": "civitas/components/sortition/tests/test_proposal_draws.py",
    "sortition_admin:draw_proposals": "civitas/components/sortition/tests/test_proposal_draws.py",
    # Their set-up takes a closed survey whose published answers were analysed.
    "surveys_admin:theme_merge": "civitas/components/surveys/tests/test_themes.py",
    "surveys_admin:theme_split": "civitas/components/surveys/tests/test_themes.py",
}


def test_every_irreversible_act_asks_first_or_says_why_not():
    found = irreversible_acts()
    known = set(CASES) | set(NOT_ASKED) | set(ASKED_ELSEWHERE)
    assert found - known == set(), "an irreversible act without a case here"
    assert known <= found, "a case or an exclusion names a view that is no longer found"


@pytest.mark.parametrize("route", sorted(CASES))
def test_an_act_without_its_confirmation_does_nothing(route, client_a, org_a, admin_a, on_commit):
    world = World(org_a, admin_a, on_commit)
    case = CASES[route](world)
    client_a.force_login(admin_a)
    refused = client_a.post(case.url, case.data)
    assert refused.status_code in (200, 302), route
    assert not case.done(), f"{route} acted without confirmation"
    if refused.status_code == 200:
        page = refused.content.decode()
        assert 'name="confirm_act"' in page and 'lang="fr"' in page
        assert "Je comprends que c’est irréversible." in page
        # The confirmation page sends the act's own fields again.
        for key, value in case.data.items():
            assert f'name="{key}" value="{value}"' in page
    else:
        assert client_a.get(refused["Location"]).status_code == 200
    client_a.post(case.url, {**case.data, **case.confirmation})
    assert case.done(), f"{route} did not act even when confirmed"
