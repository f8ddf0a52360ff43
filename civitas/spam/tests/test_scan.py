from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail

from civitas.actionlog.models import ActionLogEntry
from civitas.moderation import services as moderation
from civitas.moderation.models import Moderation, Report, UserBlock
from civitas.spam import services
from civitas.spam.models import AccountScore, ScanRun, SpamSettings
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _person(org, probability: float, **fields):
    return UserFactory(organization=org, about=f"p={probability}", **fields)


def _reported(user) -> bool:
    content_type = ContentType.objects.get_for_model(user)
    return Moderation.objects.filter(content_type=content_type, object_id=user.pk).exists()


def _blocked(user) -> bool:
    return UserBlock.objects.filter(user=user, lifted_at__isnull=True).exists()


def test_thresholds_at_their_boundaries(org_a, fixed_model, on_commit):
    below_report = _person(org_a, 0.6999)
    at_report = _person(org_a, 0.70)
    below_block = _person(org_a, 0.9899)
    at_block = _person(org_a, 0.99)
    with on_commit():
        run = services.scan_organization(org_a, model=fixed_model)
    assert (run.examined, run.scored, run.reported, run.blocked) == (4, 4, 3, 1)
    assert not _reported(below_report) and not _blocked(below_report)
    assert _reported(at_report) and not _blocked(at_report)
    assert _reported(below_block) and not _blocked(below_block)
    assert _reported(at_block) and _blocked(at_block)
    at_block.refresh_from_db()
    assert at_block.nickname == f"blocked-{at_block.pk}" and not at_block.is_active
    block = UserBlock.objects.get(user=at_block)
    # In the organization's language (French): a decimal comma.
    assert block.blocked_by is None and "99,0 %" in block.justification
    report = Report.objects.get(moderation__object_id=at_report.pk, moderation__content_type__model="user")
    assert report.user is None and report.reason == "spam" and "70,0 %" in report.details
    assert AccountScore.objects.get(pk=below_report.pk).probability == pytest.approx(0.6999)
    # The blocked person is e-mailed once, with the organization's contact address.
    assert [message.to for message in mail.outbox] == [[at_block.email]]
    assert org_a.contact_email in mail.outbox[0].body
    actions = sorted(ActionLogEntry.objects.filter(user__isnull=True).values_list("action", flat=True))
    assert actions == ["spam.block_account"] + ["spam.report_account"] * 3


def test_thresholds_per_organization_and_blocking_off(org_a, fixed_model, on_commit):
    SpamSettings.objects.create(
        organization=org_a,
        report_threshold=Decimal("0.50"),
        block_threshold=Decimal("0.60"),
        blocking_enabled=False,
    )
    person = _person(org_a, 0.95)
    low = _person(org_a, 0.55)
    with on_commit():
        run = services.scan_organization(org_a, model=fixed_model)
    assert (run.reported, run.blocked) == (2, 0)
    assert _reported(person) and not _blocked(person) and _reported(low)
    assert mail.outbox == []


def test_admins_are_never_scanned(org_a, admin_a, fixed_model):
    admin_a.about = "p=1.0"
    admin_a.save()
    run = services.scan_organization(org_a, model=fixed_model)
    assert run.examined == 0 and not _reported(admin_a) and not _blocked(admin_a)


def test_restored_account_is_never_blocked_again(org_a, admin_a, fixed_model, on_commit):
    person = _person(org_a, 0.995, nickname="jeanne", name="Jeanne Martin")
    with on_commit():
        services.scan_organization(org_a, model=fixed_model)
    assert _blocked(person)
    person.refresh_from_db()
    with on_commit():
        moderation.do_unblock_user(admin=admin_a, user=person)
    person.refresh_from_db()
    assert (person.nickname, person.name, person.is_active) == ("jeanne", "Jeanne Martin", True)
    # Even with a changed profile and a certain score, the admin's decision stands.
    person.about = "p=1.0 changed"
    person.save()
    with on_commit():
        run = services.scan_organization(org_a, model=fixed_model)
    assert run.examined == 0
    assert not _blocked(person)
    assert UserBlock.objects.filter(user=person).count() == 1


def test_the_scan_is_idempotent(org_a, fixed_model, on_commit):
    people = [_person(org_a, 0.995) for _ in range(3)] + [_person(org_a, 0.8), _person(org_a, 0.1)]
    with on_commit():
        first = services.scan_organization(org_a, model=fixed_model, batch_size=2)
    outbox, log = len(mail.outbox), ActionLogEntry.objects.count()
    with on_commit():
        second = services.scan_organization(org_a, model=fixed_model, batch_size=2)
    assert (first.scored, first.reported, first.blocked) == (5, 4, 3)
    # Blocked accounts are no longer active; the others did not change: nothing is scored again.
    assert (second.examined, second.scored, second.reported, second.blocked) == (2, 0, 0, 0)
    assert len(mail.outbox) == outbox == 3
    assert ActionLogEntry.objects.count() == log
    assert Report.objects.count() == 4
    # A changed profile is scored again; already reported, it is not reported twice.
    people[3].about = "p=0.85 with a new sentence"
    people[3].save()
    third = services.scan_organization(org_a, model=fixed_model)
    assert (third.scored, third.reported) == (1, 0)
    assert AccountScore.objects.get(pk=people[3].pk).probability == pytest.approx(0.85)


def test_a_new_model_version_scores_everyone_again(org_a, fixed_model):
    _person(org_a, 0.2)
    services.scan_organization(org_a, model=fixed_model)
    fixed_model.version = "fixed-2"
    run = services.scan_organization(org_a, model=fixed_model)
    assert run.scored == 1 and AccountScore.objects.get().model_version == "fixed-2"


def test_the_scan_resumes_after_a_crash(org_a, fixed_model, on_commit, monkeypatch):
    people = [_person(org_a, 0.995 if index % 2 else 0.1) for index in range(6)]
    original = fixed_model.predict

    def crash_on_third_batch(samples):
        if fixed_model.calls == 2:
            fixed_model.calls += 1
            raise MemoryError("the worker died")
        return original(samples)

    monkeypatch.setattr(fixed_model, "predict", crash_on_third_batch)
    with pytest.raises(MemoryError), on_commit():
        services.scan_organization(org_a, model=fixed_model, batch_size=2)
    run = ScanRun.objects.get()
    assert run.finished_at is None and run.cursor == people[3].pk and run.examined == 4
    assert UserBlock.objects.count() == 2
    with on_commit():
        resumed = services.scan_organization(org_a, model=fixed_model, batch_size=2)
    assert resumed.pk == run.pk and resumed.finished_at is not None
    assert (resumed.examined, resumed.scored, resumed.blocked) == (6, 6, 3)
    assert UserBlock.objects.count() == 3 and len(mail.outbox) == 3
    assert AccountScore.objects.count() == 6


def test_scan_stays_inside_its_organization(org_a, org_b, fixed_model, on_commit):
    ours = _person(org_a, 0.995)
    theirs = _person(org_b, 0.995)
    with on_commit():
        services.scan_organization(org_a, model=fixed_model)
    assert _blocked(ours) and not _blocked(theirs)
    assert not AccountScore.objects.filter(organization=org_b).exists()
    assert Moderation.objects.get().organization == org_a
    assert set(ActionLogEntry.objects.values_list("organization", flat=True)) == {org_a.pk}


def test_activity_counts_in_the_sample(org_a):
    from civitas.spam import scoring

    person = UserFactory(organization=org_a, about="Hello", personal_url="https://seo.example")
    reporter = UserFactory(organization=org_a)
    moderation.do_report(user=reporter, resource=person, reason="spam")
    moderation.do_system_report(organization=org_a, resource=person, reason="spam", details="auto")
    rows = list(services.scannable_accounts(org_a).filter(pk=person.pk).values(*scoring.USER_FIELDS))
    samples, fingerprints = scoring.account_samples(rows)
    account = samples[0].account
    # Only people's reports count: the platform's own report must not raise the next score.
    assert account.reports_received == 1
    assert account.personal_url == "https://seo.example" and account.contributions == 0
    assert len(fingerprints[0]) == 32
