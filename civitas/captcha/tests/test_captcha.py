"""The CAPTCHA as a visitor meets it, and as the outside review attacked it (issue 22, item 11)."""

import base64
import datetime
import json
import re
from html import unescape
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client

from civitas.captcha.models import CaptchaQuestion
from civitas.testing.captcha import answer_for, question_for, solved_fields, token_in

pytestmark = [pytest.mark.django_db, pytest.mark.security("captcha")]

SIGNUP = "/accounts/signup/"
LOGIN = "/accounts/login/"
RESET = "/accounts/password/reset/"
CAPTCHA_DIR = Path(__file__).resolve().parents[1]


def _form(client, org, **overrides):
    page = client.get(SIGNUP).content.decode()
    data = {
        "name": "Léa",
        "nickname": "lea",
        "email": "lea@example.org",
        "password1": "mot de passe robuste",
        "password2": "mot de passe robuste",
        "accept_terms": "on",
        **solved_fields(page, org),
    }
    data.update(overrides)
    return data


def _question_label(html: str) -> str:
    return unescape(
        re.search(r'<label for="id_captcha_answer"[^>]*>(.*?)</label>', html, re.S).group(1)
    ).strip()


def _unsigned_payload(token: str) -> dict:
    """What anyone can read in a token without the server's key."""
    encoded = token.split(":", 1)[0]
    return json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))


def _login_page_with_captcha(client, user) -> str:
    """The log-in page as shown after one failed attempt: the CAPTCHA joins the form."""
    body = client.post(LOGIN, {"username": user.email, "password": "not the password"}).content.decode()
    assert "captcha_token" in body
    return body


def test_right_answer_passes(client_a, org_a):
    assert client_a.post(SIGNUP, _form(client_a, org_a)).status_code == 302


def test_answer_is_folded_with_article_accents_and_case(client_a, org_a):
    data = _form(client_a, org_a)
    data["captcha_answer"] = "  LE " + data["captcha_answer"].upper() + " "
    assert client_a.post(SIGNUP, data).status_code == 302


def test_wrong_answer_shows_a_new_question_and_keeps_the_rest(client_a, org_a):
    data = _form(client_a, org_a, captcha_answer="certainement pas ça")
    response = client_a.post(SIGNUP, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Mauvaise réponse" in body
    new_token = token_in(body)
    assert new_token != data["captcha_token"]
    assert _question_label(body) == question_for(new_token, org_a)
    assert 'value="Léa"' in body and 'value="lea@example.org"' in body
    assert 'name="captcha_answer" value=""' in body or 'name="captcha_answer" autocomplete' in body


def test_the_token_reveals_neither_question_nor_answer(client_a, org_a, monkeypatch):
    """The review's script read the question id (`fr-099`) in the token and looked it up."""
    monkeypatch.setattr("civitas.captcha.bank.ORGANIZATION_SHARE", 1.0)
    CaptchaQuestion.objects.create(
        organization=org_a,
        locale="fr",
        question="Quel est le mot secret ?",
        answers="Zanzibar\nOrnithorynque",
    )
    body = client_a.get(SIGNUP).content.decode()
    assert "Quel est le mot secret ?" in body
    assert "zanzibar" not in body.lower() and "ornithorynque" not in body.lower()
    payload = _unsigned_payload(token_in(body))
    assert set(payload) == {"n", "l", "t"}  # a random nonce, the language, the time: nothing else
    for _ in range(20):
        token = token_in(Client(HTTP_HOST=org_a.host).get(SIGNUP).content.decode())
        question = question_for(token, org_a)
        readable = json.dumps(_unsigned_payload(token), ensure_ascii=False)
        assert question not in readable
        assert not any(answer in readable.lower() for answer in sorted(answer_for(token, org_a).split()))


def test_no_finite_table_answers_the_questions(client_a, org_a):
    """200 questions asked in a row are (nearly) all different, and none is written in the repository."""
    questions = [
        _question_label(Client(HTTP_HOST=org_a.host).get(SIGNUP).content.decode()) for _ in range(200)
    ]
    assert len(set(questions)) >= 190
    shipped = "\n".join(
        path.read_text(encoding="utf-8", errors="ignore")
        for path in CAPTCHA_DIR.rglob("*")
        if path.is_file() and path.suffix in {".json", ".txt", ".py", ".csv"}
    )
    assert not [question for question in questions if question in shipped]


def test_expired_token_is_refused_with_a_new_question(client_a, org_a, settings):
    data = _form(client_a, org_a)
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(
        seconds=settings.CAPTCHA_TOKEN_MAX_AGE + 5
    )
    with time_machine.travel(later):
        response = client_a.post(SIGNUP, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "a expiré" in body
    assert token_in(body) != data["captcha_token"]


def test_replayed_token_is_refused_even_with_the_right_answer(client_a, org_a):
    data = _form(client_a, org_a, password2="différent")  # right answer, the form fails for another reason
    assert client_a.post(SIGNUP, data).status_code == 200
    data["password2"] = data["password1"]
    response = client_a.post(SIGNUP, data)
    assert response.status_code == 200
    assert "déjà été utilisée" in response.content.decode()
    assert not get_user_model().objects.exists()


def test_forged_token_is_refused(client_a, org_a):
    data = _form(client_a, org_a, captcha_token="forged")
    assert client_a.post(SIGNUP, data).status_code == 200


def test_honeypot_filled_saves_nothing(client_a, org_a):
    response = client_a.post(SIGNUP, _form(client_a, org_a, website="http://spam.example"))
    assert response.status_code == 200
    assert not get_user_model().objects.exists()


def test_form_sent_faster_than_a_human_is_refused_even_with_the_right_answer(client_a, org_a, settings):
    settings.CAPTCHA_MIN_FILL_SECONDS = 5
    response = client_a.post(SIGNUP, _form(client_a, org_a))
    assert response.status_code == 200
    assert "trop vite" in response.content.decode()
    assert not get_user_model().objects.exists()


def test_a_token_from_one_organizations_log_in_is_refused_on_anothers_sign_up(org_a, org_b, user_a):
    """The review used a token from A's log-in form on B's sign-up form."""
    page = _login_page_with_captcha(Client(HTTP_HOST=org_a.host), user_a)
    token = token_in(page)
    data = _form(Client(HTTP_HOST=org_b.host), org_b)
    data.update(captcha_token=token, captcha_answer=answer_for(token, org_a))
    response = Client(HTTP_HOST=org_b.host).post(SIGNUP, data)
    assert response.status_code == 200
    assert "n’a pas pu être vérifiée" in response.content.decode()
    assert not get_user_model().objects.filter(organization=org_b).exists()


@pytest.mark.parametrize("other_form", [SIGNUP, RESET])
def test_a_token_is_bound_to_its_form(client_a, org_a, other_form):
    """A token from the password-reset page does not open sign-up, nor the reverse."""
    source = RESET if other_form == SIGNUP else SIGNUP
    token = token_in(client_a.get(source).content.decode())
    answer = answer_for(token, org_a)
    data = _form(client_a, org_a) if other_form == SIGNUP else {"email": "lea@example.org", "website": ""}
    data.update(captcha_token=token, captcha_answer=answer)
    response = client_a.post(other_form, data)
    assert response.status_code == 200
    assert "n’a pas pu être vérifiée" in response.content.decode()


def test_a_token_from_one_organizations_sign_up_is_refused_on_anothers(org_a, org_b):
    data = _form(Client(HTTP_HOST=org_a.host), org_a)
    response = Client(HTTP_HOST=org_b.host).post(SIGNUP, data)
    assert response.status_code == 200
    assert not get_user_model().objects.exists()


def test_a_right_answer_with_a_wrong_password_is_not_carried_over(org_a, user_a, password):
    """The review got a "solved" token back after each wrong password, and tried again without answering."""
    client = Client(HTTP_HOST=org_a.host)
    page = _login_page_with_captcha(client, user_a)
    answered = {"username": user_a.email, "password": "still wrong", **solved_fields(page, org_a)}
    body = client.post(LOGIN, answered).content.decode()
    assert "incorrect" in body
    # A new question, asked in the open: no hidden "solved" answer in the page.
    assert _question_label(body) == question_for(token_in(body), org_a)
    assert 'type="hidden" name="captcha_answer"' not in body
    assert token_in(body) != answered["captcha_token"]
    # The new token without an answer does not let the right password in.
    response = client.post(
        LOGIN,
        {"username": user_a.email, "password": password, "captcha_token": token_in(body), "website": ""},
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_honeypot_is_hidden_from_people_and_assistive_technology(client_a):
    body = client_a.get(SIGNUP).content.decode()
    assert re.search(r'<div class="hp" aria-hidden="true"><label for="id_website">', body)
    assert 'tabindex="-1"' in body


def test_question_is_a_labelled_text_field_without_images(client_a):
    body = client_a.get(SIGNUP).content.decode()
    assert '<label for="id_captcha_answer"' in body
    assert 'type="text" name="captcha_answer"' in body
    assert len(_question_label(body)) > 10
    assert "<img" not in body.split('for="id_captcha_answer"', 1)[1].split("</form>", 1)[0]


def test_english_visitors_get_english_questions(org_a):
    client = Client(HTTP_HOST=org_a.host)
    client.cookies["django_language"] = "en"
    for _ in range(15):
        label = _question_label(client.get(SIGNUP).content.decode())
        assert label.startswith(("What", "Which", "How many", "Write")), label


def test_organization_questions_are_asked_and_checked(org_a, org_b, monkeypatch):
    monkeypatch.setattr("civitas.captcha.bank.ORGANIZATION_SHARE", 1.0)
    CaptchaQuestion.objects.create(
        organization=org_a,
        locale="fr",
        question="Quel fleuve traverse la commune ?",
        answers="La Loire\nLoire",
    )
    client = Client(HTTP_HOST=org_a.host)
    data = _form(client, org_a)
    assert question_for(data["captcha_token"], org_a) == "Quel fleuve traverse la commune ?"
    data["captcha_answer"] = "la Loire"
    assert client.post(SIGNUP, data).status_code == 302
    # Commune B is never asked commune A's question.
    for _ in range(5):
        assert "Quel fleuve" not in Client(HTTP_HOST=org_b.host).get(SIGNUP).content.decode()


def test_organization_questions_season_the_generated_ones(org_a):
    CaptchaQuestion.objects.create(
        organization=org_a, locale="fr", question="Quel fleuve traverse la commune ?", answers="Loire"
    )
    asked = [_question_label(Client(HTTP_HOST=org_a.host).get(SIGNUP).content.decode()) for _ in range(60)]
    own = asked.count("Quel fleuve traverse la commune ?")
    assert 0 < own < 30


def test_a_script_that_answers_every_question_is_held_by_the_rate_limit_and_the_confirmation(org_a, password):
    """The CAPTCHA does not stop a solver written for Civitas (the README says so): the limits do."""
    client = Client(HTTP_HOST=org_a.host, REMOTE_ADDR="203.0.113.77")
    statuses = []
    for index in range(11):
        data = _form(client, org_a, nickname=f"bot{index}", email=f"bot{index}@example.org")
        statuses.append(client.post(SIGNUP, data).status_code)
    assert statuses == [302] * 10 + [429]
    # And the accounts it made cannot log in before their mailbox confirms them.
    response = client.post(LOGIN, {"username": "bot0@example.org", "password": "mot de passe robuste"})
    assert "_auth_user_id" not in client.session and response.status_code in (200, 429)
