"""Answer the CAPTCHA in tests the way a person would: read the question, know the answer.

The token reveals nothing, so "knowing the answer" means asking the server's own code
with the server's key, as only a test can: the token is checked against every form
that asks the CAPTCHA and rebuilt into its question.
"""

import re

from civitas.captcha.challenge import SCOPES, CaptchaError, question_of, read_token

TOKEN_RE = re.compile(r'name="(?:[\w-]+-)?captcha_token" value="([^"]+)"')


def token_in(html: str) -> str:
    match = TOKEN_RE.search(html)
    assert match, "no CAPTCHA token in the page"
    return match.group(1)


def _question(token: str, organization):
    for scope in sorted(SCOPES):
        try:
            payload = read_token(scope, token, organization)
        except CaptchaError:
            continue
        return question_of(payload, organization)
    raise AssertionError("the token belongs to no form of this organization")


def question_for(token: str, organization) -> str:
    return _question(token, organization).text


def answer_for(token: str, organization) -> str:
    return sorted(_question(token, organization).answers)[0]


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
