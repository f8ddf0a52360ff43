"""Signed, single-use, expiring CAPTCHA challenges.

The browser only ever holds a signed token naming the question (never its answers),
when it was asked and a random nonce. Any verification consumes the nonce, so a token
cannot be replayed, and a new question is asked after a wrong answer.

A visitor who answered correctly but whose form failed for another reason (nickname
taken…) receives a "solved" token instead, so they are not asked again.
"""

import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.utils.translation import gettext_lazy as _

from civitas.captcha.bank import find_question, pick_question

SALT = "civitas.captcha"


class CaptchaError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Challenge:
    token: str
    question: str | None  # None once solved


def _sign(payload: dict) -> str:
    return signing.dumps(payload, salt=SALT, compress=True)


def new_challenge(locale: str, organization) -> Challenge:
    question = pick_question(locale, organization)
    token = _sign({"q": question.key, "l": locale, "n": secrets.token_urlsafe(12), "t": time.time()})
    return Challenge(token=token, question=question.text)


def solved_challenge() -> Challenge:
    return Challenge(token=_sign({"s": 1, "n": secrets.token_urlsafe(12), "t": time.time()}), question=None)


def _consume(nonce: str) -> bool:
    """True the first time a nonce is seen by any process, False afterwards."""
    return caches["shared"].add(f"captcha-used:{nonce}", 1, timeout=settings.CAPTCHA_TOKEN_MAX_AGE + 60)


def verify(token: str, answer: str, organization) -> bool:
    """Check a token and its answer; returns True if the token was a "solved" one.

    Raises CaptchaError with a message for the visitor otherwise.
    """
    try:
        payload = signing.loads(token or "", salt=SALT, max_age=settings.CAPTCHA_TOKEN_MAX_AGE)
    except signing.SignatureExpired as error:
        raise CaptchaError(_("The question expired. Please answer this new one.")) from error
    except signing.BadSignature as error:
        raise CaptchaError(
            _("The security question could not be checked. Please answer this one.")
        ) from error
    if not _consume(payload.get("n", "")):
        raise CaptchaError(_("This security question was already used. Please answer this new one."))
    if payload.get("s"):
        return True
    if time.time() - payload["t"] < settings.CAPTCHA_MIN_FILL_SECONDS:
        raise CaptchaError(_("The form was sent too fast. Please answer this new question."))
    question = find_question(payload["q"], payload["l"], organization)
    if question is None or not question.accepts(answer or ""):
        raise CaptchaError(_("Wrong answer to the security question. Please answer this new one."))
    return False
