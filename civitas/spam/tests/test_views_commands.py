import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from civitas.actionlog.models import ActionLogEntry
from civitas.spam import model as spam_model
from civitas.spam import scoring
from civitas.spam.models import ScanRun, SpamSettings
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_admin_page_shows_the_model_and_its_figures(client_a, admin_a):
    client_a.force_login(admin_a)
    page = client_a.get("/admin/spam/").content.decode()
    starter = spam_model.load(spam_model.DEFAULT_PATH)
    assert starter.version in page
    assert "Profils de plateformes Decidim — spam" in page and 'name="report_threshold"' in page
    assert "decidim_profiles:spam" not in page


def test_admin_page_speaks_french_words_dates_and_numbers(client_a, admin_a):
    """Groups in words, the training date formatted, thresholds with a decimal comma."""
    from civitas.spam.labels import SOURCES

    client_a.force_login(admin_a)
    page = client_a.get("/admin/spam/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    starter = spam_model.load(spam_model.DEFAULT_PATH)
    for code in starter.metrics["groups"]:
        assert code.partition(":")[0] in SOURCES, f"the spam page has no words for {code}"
        assert f">{code}<" not in page
    assert "SMS Spam Collection — spam" in page and "Tous les échantillons mis de côté — légitime" in page
    assert starter.trained_at not in page and "Modèle de départ fourni avec Civitas" in page
    assert "signalement à 0,70 et blocage à 0,99" in page


def test_only_admins_of_the_organization(client_a, client_b, user_a, admin_a):
    client_a.force_login(user_a)
    assert client_a.get("/admin/spam/").status_code == 403
    client_b.force_login(admin_a)
    assert client_b.get("/admin/spam/").status_code in {302, 403}


def test_thresholds_form_saves_and_logs(client_a, org_a, admin_a):
    client_a.force_login(admin_a)
    response = client_a.post(
        "/admin/spam/", {"report_threshold": "0.80", "block_threshold": "0.95", "blocking_enabled": ""}
    )
    assert response.status_code == 302
    saved = SpamSettings.objects.get(organization=org_a)
    assert (saved.report_threshold, saved.block_threshold, saved.blocking_enabled) == (
        Decimal("0.80"),
        Decimal("0.95"),
        False,
    )
    assert ActionLogEntry.objects.filter(action="spam.update_settings", user=admin_a).count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"report_threshold": "0.90", "block_threshold": "0.80", "blocking_enabled": "on"},
        {"report_threshold": "1.50", "block_threshold": "0.99", "blocking_enabled": "on"},
        {"report_threshold": "0", "block_threshold": "0.99", "blocking_enabled": "on"},
        {"report_threshold": "abc", "block_threshold": "0.99", "blocking_enabled": "on"},
    ],
)
def test_bad_thresholds_change_nothing(client_a, org_a, admin_a, data):
    client_a.force_login(admin_a)
    response = client_a.post("/admin/spam/", data)
    assert (
        response.status_code == 200
        and 'aria-invalid="true"' in response.content.decode()
        or (response.status_code == 200 and "errorlist" in response.content.decode())
    )
    assert not SpamSettings.objects.exists()
    assert not ActionLogEntry.objects.filter(action="spam.update_settings").exists()


def test_each_admin_sees_only_their_scans(client_a, org_a, org_b, admin_a, fixed_model):
    UserFactory(organization=org_b, about="p=0.1")
    from civitas.spam import services

    services.scan_organization(org_b, model=fixed_model)
    client_a.force_login(admin_a)
    page = client_a.get("/admin/spam/").content.decode()
    assert ScanRun.objects.filter(organization=org_b).exists()
    assert "fixed-1" not in page


def test_spam_score_command_reads_standard_input(monkeypatch):
    monkeypatch.setattr(
        "sys.stdin", io.StringIO("Best SEO agency in Chennai https://seo.example\nBonjour à tous\n")
    )
    out, err = io.StringIO(), io.StringIO()
    call_command("spam_score", "--kind", "profile", stdout=out, stderr=err)
    values = [float(line) for line in out.getvalue().split()]
    assert len(values) == 2 and values[0] > values[1]
    assert "starter-" in err.getvalue()


def test_spam_score_command_with_a_broken_model(settings, tmp_path, monkeypatch):
    settings.CIVITAS_SPAM_STARTER_MODEL = tmp_path / "none.joblib"
    monkeypatch.setattr("sys.stdin", io.StringIO("x\n"))
    with pytest.raises(CommandError, match="no model file"):
        call_command("spam_score")


def test_spam_eval_command_prints_the_figures():
    out = io.StringIO()
    call_command("spam_eval", stdout=out)
    text = out.getvalue()
    assert "precision" in text and "ROC AUC" in text and "decidim_profiles:spam" in text
    assert "legitimate profiles 300–1000" in text and "targets" in text


def test_spam_scan_command(org_a, admin_a, on_commit):
    UserFactory(organization=org_a, about="Habitante du quartier, vélo et jardins.")
    out = io.StringIO()
    with on_commit():
        call_command("spam_scan", "--organization", org_a.host, stdout=out)
    assert "examined 1, scored 1" in out.getvalue() and "digests 1" in out.getvalue()
    with pytest.raises(CommandError, match="No organization"):
        call_command("spam_scan", "--organization", "nowhere.test")
    with pytest.raises(CommandError, match="batch-size"):
        call_command("spam_scan", "--batch-size", "0")


def test_retrain_on_an_organization_history(org_a, admin_a, monkeypatch, on_commit):
    from civitas.moderation import services as moderation

    # A thinner starter set keeps the test quick; the retraining path is the real one.
    full = spam_model.starter_data()
    monkeypatch.setattr(spam_model, "starter_data", lambda: full[::4])
    spammers = [
        UserFactory(
            organization=org_a, about=f"Cheap essay writing service number {i} https://essays{i}.example"
        )
        for i in range(6)
    ]
    restored = UserFactory(organization=org_a, about="Retraité, je lis tous les budgets.")
    with on_commit():
        for person in spammers:
            moderation.do_block_user(admin=admin_a, user=person, justification="spam")
        moderation.do_block_user(admin=admin_a, user=restored, justification="spam?")
        moderation.do_unblock_user(admin=admin_a, user=restored)
    out = io.StringIO()
    call_command("train_spam_model", "--organization", org_a.host, stdout=out)
    assert "6 spam and 1 legitimate" in out.getvalue()
    path = scoring.organization_model_path(org_a)
    assert path.exists() and path.with_suffix(".json").exists()
    assert scoring.model_for(org_a).version.startswith(f"org{org_a.pk}-")
    assert ActionLogEntry.objects.filter(action="spam.retrain").count() == 1


def test_the_periodic_task_scans_and_sends_digests(org_a, admin_a, on_commit):
    from django.core import mail

    from civitas.spam.tasks import daily_spam_scan

    UserFactory(organization=org_a, about="Habitant du quartier.")
    with on_commit():
        daily_spam_scan.call_local()
    run = ScanRun.objects.get(organization=org_a)
    assert run.finished_at is not None and run.scored == 1 and not run.error
    assert [message.to for message in mail.outbox] == [[admin_a.email]]


def test_thresholds_are_written_and_read_with_a_decimal_comma(client_a, org_a, admin_a):
    client_a.force_login(admin_a)
    page = client_a.get("/admin/spam/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'name="report_threshold" value="0,70"' in page
    response = client_a.post(
        "/admin/spam/",
        {"report_threshold": "0,75", "block_threshold": "0,95", "blocking_enabled": "on"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 302
    assert SpamSettings.objects.get(organization=org_a).report_threshold == Decimal("0.75")
