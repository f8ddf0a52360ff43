"""A missing or corrupt model: the platform keeps working, admins are told, nobody is blocked."""

import pytest
from django.core import mail

from civitas.moderation.models import UserBlock
from civitas.spam import services
from civitas.spam.models import AccountScore, ScanRun
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["missing", "corrupt"])
def broken_model(request, settings, tmp_path):
    path = tmp_path / "starter.joblib"
    if request.param == "corrupt":
        path.write_bytes(b"garbage" * 100)
    settings.CIVITAS_SPAM_STARTER_MODEL = path
    return path


def test_scan_blocks_nobody_and_records_the_problem(org_a, admin_a, broken_model, on_commit):
    person = UserFactory(
        organization=org_a, about="Best SEO services https://cheap-seo.in call +91 98765 43210"
    )
    with on_commit():
        summary = services.daily_run(organizations=[org_a])
    assert not UserBlock.objects.exists() and not AccountScore.objects.exists()
    person.refresh_from_db()
    assert person.is_active
    run = ScanRun.objects.get()
    assert run.error and run.finished_at is not None
    assert summary[org_a.host]["error"]
    # The admin's daily e-mail says so.
    assert [message.to for message in mail.outbox] == [[admin_a.email]]
    assert "model" in mail.outbox[0].body.lower() and str(broken_model) in mail.outbox[0].body


def test_dashboard_warns_admins_and_pages_still_work(client_a, org_a, admin_a, user_a, broken_model):
    client_a.force_login(admin_a)
    page = client_a.get("/admin/")
    assert page.status_code == 200
    assert "spam" in page.content.decode().lower() and 'role="alert"' in page.content.decode()
    spam_page = client_a.get("/admin/spam/")
    assert spam_page.status_code == 200 and str(broken_model) in spam_page.content.decode()


def test_new_contributions_are_published_unscored(org_a, admin_a, user_a, broken_model, on_commit):
    from civitas.spam.tests.test_contributions import _comment_on_a_proposal

    with on_commit():
        comment = _comment_on_a_proposal(org_a, admin_a, user_a, "Buy cheap watches https://watches.example")
    comment.refresh_from_db()
    assert comment.hidden_at is None


def test_a_working_model_gives_no_warning(client_a, admin_a):
    client_a.force_login(admin_a)
    assert 'role="alert"' not in client_a.get("/admin/").content.decode()
