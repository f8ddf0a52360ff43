import datetime
import re
from html import unescape

import pytest
import time_machine
from django.core import signing
from django.test import Client

from civitas.captcha.challenge import SALT
from civitas.captcha.models import CaptchaQuestion
from civitas.testing.captcha import question_for, solved_fields, token_in

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"


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
    return unescape(re.search(r'<label for="id_captcha_answer"[^>]*>(.*?)</label>', html, re.S).group(1))


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
    assert _question_label(body).strip() == question_for(new_token, org_a)
    assert 'value="Léa"' in body and 'value="lea@example.org"' in body
    assert 'name="captcha_answer" value=""' in body or 'name="captcha_answer" autocomplete' in body


def test_expected_answers_never_reach_the_browser(client_a, org_a, monkeypatch):
    CaptchaQuestion.objects.create(
        organization=org_a,
        locale="fr",
        question="Quel est le mot secret ?",
        answers="Zanzibar-Quokka\nOrnithorynque",
    )
    monkeypatch.setattr("civitas.captcha.bank._choose", lambda candidates: candidates[-1])
    body = client_a.get(SIGNUP).content.decode()
    assert "Quel est le mot secret ?" in body
    assert "zanzibar" not in body.lower() and "ornithorynque" not in body.lower()
    payload = signing.loads(token_in(body), salt=SALT)
    assert set(payload) == {"q", "l", "n", "t"}  # question id, language, nonce, time: no answer


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


def test_replayed_token_is_refused(client_a, org_a):
    data = _form(client_a, org_a, nickname="a b")  # invalid nickname: the token is consumed, form returns
    client_a.post(SIGNUP, data)
    data["nickname"] = "lea"
    response = client_a.post(SIGNUP, data)
    assert response.status_code == 200
    assert "déjà été utilisée" in response.content.decode()


def test_forged_token_is_refused(client_a, org_a):
    data = _form(client_a, org_a, captcha_token="forged")
    assert client_a.post(SIGNUP, data).status_code == 200


def test_honeypot_filled_saves_nothing(client_a, org_a):
    from django.contrib.auth import get_user_model

    response = client_a.post(SIGNUP, _form(client_a, org_a, website="http://spam.example"))
    assert response.status_code == 200
    assert not get_user_model().objects.exists()


def test_form_sent_faster_than_a_human_is_refused(client_a, org_a, settings):
    settings.CAPTCHA_MIN_FILL_SECONDS = 5
    response = client_a.post(SIGNUP, _form(client_a, org_a))
    assert response.status_code == 200
    settings.CAPTCHA_MIN_FILL_SECONDS = 0


def test_honeypot_is_hidden_from_people_and_assistive_technology(client_a):
    body = client_a.get(SIGNUP).content.decode()
    assert re.search(r'<div class="hp" aria-hidden="true"><label for="id_website">', body)
    assert 'tabindex="-1"' in body


def test_question_is_a_labelled_text_field(client_a):
    body = client_a.get(SIGNUP).content.decode()
    assert '<label for="id_captcha_answer"' in body
    assert _question_label(body).strip().endswith("?") or len(_question_label(body).strip()) > 10


def test_english_visitors_get_english_questions(client_a, org_a):
    client_a.cookies["django_language"] = "en"
    token = token_in(client_a.get(SIGNUP).content.decode())
    assert signing.loads(token, salt=SALT)["q"].startswith(("en-", "org-"))


def test_organization_questions_are_asked_and_checked(client_a, org_a, org_b, monkeypatch):
    own = CaptchaQuestion.objects.create(
        organization=org_a,
        locale="fr",
        question="Quel fleuve traverse la commune ?",
        answers="La Loire\nLoire",
    )
    offered = {}

    def remember_and_pick_last(candidates):
        offered[len(offered)] = [key for key, _pk in candidates]
        return candidates[-1]

    monkeypatch.setattr("civitas.captcha.bank._choose", remember_and_pick_last)
    page = Client(HTTP_HOST=org_a.host).get(SIGNUP).content.decode()
    assert "Quel fleuve traverse la commune ?" in page
    data = _form(Client(HTTP_HOST=org_a.host), org_a)
    assert data["captcha_answer"] == "loire"
    # Commune B is never offered commune A's question.
    Client(HTTP_HOST=org_b.host).get(SIGNUP)
    assert f"org-{own.pk}" in offered[0]
    assert f"org-{own.pk}" not in offered[len(offered) - 1]
