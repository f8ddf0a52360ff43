"""Nobody can tell from sign-up, password reset or a new confirmation link whether an
address has an account (issue 22, item 12), as the outside review tried it."""

import re
import statistics
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from civitas.testing.captcha import solved_fields

pytestmark = [pytest.mark.django_db, pytest.mark.security("account enumeration")]
User = get_user_model()
SIGNUP = "/accounts/signup/"
RESET = "/accounts/password/reset/"
RESEND = "/accounts/confirm-again/"
UNKNOWN = "personne@example.org"


@pytest.fixture(autouse=True)
def _generous_rate_limits(settings):
    # These tests repeat requests to compare them; the limits have tests of their own.
    settings.CIVITAS_RATE_LIMITS = dict.fromkeys(
        ("signup", "password_reset", "resend_confirmation"), ("10000/h", "10000/h")
    )


def _comparable(html: str) -> str:
    """The page without what differs on every load: the CSRF token and the CAPTCHA."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'name="captcha_token" value="[^"]+"', "", html)
    return re.sub(r'(<label for="id_captcha_answer"[^>]*>).*?(</label>)', r"\1\2", html, flags=re.S)


def _signup(client, org, **fields):
    page = client.get(SIGNUP).content.decode()
    data = {
        "name": "Camille",
        "nickname": "camille",
        "email": UNKNOWN,
        "password1": "un mot de passe solide",
        "password2": "un mot de passe solide",
        "accept_terms": "on",
        **solved_fields(page, org),
        **fields,
    }
    return client.post(SIGNUP, data)


def test_sign_up_post_without_captcha_says_nothing_about_the_address_or_nickname(org_a, user_a):
    """The review posted only an e-mail and a nickname: "an account already uses this e-mail"."""
    taken = Client(HTTP_HOST=org_a.host).post(SIGNUP, {"email": user_a.email, "nickname": user_a.nickname})
    free = Client(HTTP_HOST=org_a.host).post(SIGNUP, {"email": UNKNOWN, "nickname": "personne"})
    assert taken.status_code == free.status_code == 200
    body = taken.content.decode()
    assert "déjà cette adresse" not in body and "déjà pris" not in body
    assert _comparable(body).replace(user_a.email, UNKNOWN).replace(
        f'value="{user_a.nickname}"', 'value="personne"'
    ) == _comparable(free.content.decode())


def test_sign_up_with_an_existing_address_answers_as_for_a_new_one(org_a, user_a, on_commit):
    with on_commit():
        existing = _signup(Client(HTTP_HOST=org_a.host), org_a, email=user_a.email.upper(), nickname="autre")
    with on_commit():
        new = _signup(Client(HTTP_HOST=org_a.host), org_a, email=UNKNOWN, nickname="camille")
    assert existing.status_code == new.status_code == 302
    assert existing["Location"] == new["Location"] == "/accounts/signup/done/"
    done_existing = Client(HTTP_HOST=org_a.host).get(existing["Location"]).content.decode()
    done_new = Client(HTTP_HOST=org_a.host).get(new["Location"]).content.decode()
    assert _comparable(done_existing) == _comparable(done_new)
    # No second account; the owner of the address is told, the new address confirms.
    assert User.objects.filter(organization=org_a, email__iexact=user_a.email).count() == 1
    assert not User.objects.filter(nickname="autre").exists()
    owner_mail, new_mail = mail.outbox
    assert owner_mail.to == [user_a.email] and "déjà un compte" in owner_mail.subject
    assert "/accounts/password/reset/" in owner_mail.body
    assert new_mail.to == [UNKNOWN] and "Confirmez" in new_mail.subject


def _request_reset(org, email):
    client = Client(HTTP_HOST=org.host)
    data = {"email": email, **solved_fields(client.get(RESET).content.decode(), org)}
    return lambda: client.post(RESET, data)


def _normalised(queries) -> list[str]:
    # Literals and savepoint names differ from run to run; the statements must not.
    sql = [re.sub(r"'[^']*'|\b\d+\b|\"s\w+_x\d+\"", "?", query["sql"]) for query in queries]
    return [query for query in sql if "captcha-used" not in query]


@pytest.mark.parametrize(("url", "confirmed"), [(RESET, True), (RESEND, False)])
def test_reset_and_resend_do_the_same_work_for_any_address(
    org_a, user_a, url, confirmed, django_capture_on_commit_callbacks
):
    """Same answer, same database queries and one queued task, whether or not an account exists."""
    if not confirmed:
        User.objects.filter(pk=user_a.pk).update(email_confirmed_at=None)
    runs = {}
    for index, email in enumerate((user_a.email, UNKNOWN)):
        # Each from its own address, so that both start with fresh rate-limit counters.
        client = Client(HTTP_HOST=org_a.host, REMOTE_ADDR=f"192.0.2.{index + 1}")
        data = {"email": email, **solved_fields(client.get(url).content.decode(), org_a)}
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks() as callbacks:
            response = client.post(url, data)
        runs[email] = (response.status_code, response["Location"], _normalised(queries), len(callbacks))
        assert len(mail.outbox) == index  # nothing is sent from the request itself
        with django_capture_on_commit_callbacks(execute=True):  # the queued task, and what it queues
            for callback in callbacks:
                callback()
    assert runs[user_a.email] == runs[UNKNOWN]
    assert runs[UNKNOWN][3] == 1  # one task queued in both cases
    assert [message.to for message in mail.outbox] == [[user_a.email]]  # the queue looked the account up


def test_reset_takes_as_long_for_an_existing_address_as_for_an_unknown_one(org_a, user_a):
    """The review measured 112 ms against 34 ms. Interleaved runs, medians, a generous margin."""
    differences, durations = [], []
    for _ in range(21):
        timed = {}
        for email in (user_a.email, UNKNOWN):
            post = _request_reset(org_a, email)
            started = time.perf_counter()
            assert post().status_code == 302
            timed[email] = time.perf_counter() - started
        differences.append(timed[user_a.email] - timed[UNKNOWN])
        durations.append(timed[UNKNOWN])
    # The median of paired differences shrugs off the other processes of a busy machine.
    difference = statistics.median(differences)
    assert abs(difference) < max(0.01, 0.25 * statistics.median(durations)), differences


def test_reset_link_reaches_the_owner_through_the_queue(org_a, user_a, on_commit):
    with on_commit():
        _request_reset(org_a, user_a.email)()
    assert mail.outbox[-1].to == [user_a.email]
    assert re.search(r"http://commune-a.test/accounts/password/reset/\S+", mail.outbox[-1].body)


def test_changing_ones_address_does_not_tell_whether_another_account_has_it(
    org_a, settings, django_capture_on_commit_callbacks
):
    """The outside review's variant: a logged-in participant posted candidate addresses to
    the change-of-address form and read "an account already uses this e-mail"."""
    from civitas.testing.factories import DEFAULT_PASSWORD, UserFactory

    owner = UserFactory(organization=org_a, email="maire@example.org")
    prober = UserFactory(organization=org_a)
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(prober)
    pages = {}
    for email in ("maire@example.org", UNKNOWN):
        for password in (DEFAULT_PASSWORD, "wrong password"):
            response = client.post(
                "/accounts/settings/email/", {"email": email, "password": password}, follow=True
            )
            page = response.content.decode().replace(email, "ADDRESS")
            pages[(email, password)] = (response.status_code, _comparable(page))
    assert pages[("maire@example.org", DEFAULT_PASSWORD)] == pages[(UNKNOWN, DEFAULT_PASSWORD)]
    assert pages[("maire@example.org", "wrong password")] == pages[(UNKNOWN, "wrong password")]
    # The address stays its owner's.
    assert User.objects.get(pk=owner.pk).email == "maire@example.org"
    # And a script trying addresses is cut off.
    settings.CIVITAS_RATE_LIMITS = {"email_change": (None, "5/h")}
    codes = [
        client.post("/accounts/settings/email/", {"email": f"p{n}@example.org", "password": "x"}).status_code
        for n in range(8)
    ]
    assert 429 in codes
