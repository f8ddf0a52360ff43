"""Answer the CAPTCHA in tests the way a person would: read the question, know the answer."""

import re

from django.core import signing

from civitas.captcha.bank import find_question
from civitas.captcha.challenge import SALT

TOKEN_RE = re.compile(r'name="(?:[\w-]+-)?captcha_token" value="([^"]+)"')


def token_in(html: str) -> str:
    match = TOKEN_RE.search(html)
    assert match, "no CAPTCHA token in the page"
    return match.group(1)


def question_for(token: str, organization) -> str:
    payload = signing.loads(token, salt=SALT)
    return find_question(payload["q"], payload["l"], organization).text


def answer_for(token: str, organization) -> str:
    payload = signing.loads(token, salt=SALT)
    if payload.get("s"):
        return ""
    question = find_question(payload["q"], payload["l"], organization)
    return sorted(question.answers)[0]


def solved_fields(html: str, organization) -> dict:
    token = token_in(html)
    return {"captcha_token": token, "captcha_answer": answer_for(token, organization), "website": ""}


def log_in(client, organization, email: str, password: str):
    """Post the log-in form as a person would, answering the CAPTCHA when it is shown."""
    page = client.get("/accounts/login/").content.decode()
    data = {"username": email, "password": password}
    if "captcha_token" in page:
        data.update(solved_fields(page, organization))
    return client.post("/accounts/login/", data)
