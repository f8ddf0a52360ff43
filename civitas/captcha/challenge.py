"""Opaque, single-use, expiring CAPTCHA challenges bound to one form of one organization.

The token a browser holds is signed and carries only a random nonce, the page
language and the time it was issued: no question, no question id, no answer. The
question is rebuilt on the server from a generator seeded with a keyed hash of the
nonce (``SECRET_KEY``), so the server keeps nothing between asking and checking, and
nobody without the key can tell from a token what it asks.

The signature's salt names the form (``scope``) and the organization: a token from
one form or one organization does not verify on another. Any check consumes the
nonce in the shared cache, so a token is good for one try; a failed form always
goes back with a new question: a right answer is never carried over.
"""

import random
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from civitas.captcha.bank import build_question
from civitas.captcha.generator import Question

SALT = "civitas.captcha"
SEED_SALT = "civitas.captcha.seed"

# Every form that asks the CAPTCHA, by scope (filled by CaptchaFormMixin subclasses).
SCOPES: set[str] = set()


class CaptchaError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Challenge:
    token: str
    question: str


def _salt(scope: str, organization) -> str:
    return f"{SALT}:{scope}:{organization.pk if organization is not None else 'installation'}"


def _question(nonce: str, locale: str, organization) -> Question:
    seed = int.from_bytes(salted_hmac(SEED_SALT, nonce, algorithm="sha256").digest(), "big")
    return build_question(random.Random(seed), locale, organization)


def new_challenge(scope: str, locale: str, organization) -> Challenge:
    nonce = secrets.token_urlsafe(16)
    token = signing.dumps({"n": nonce, "l": locale, "t": int(time.time())}, salt=_salt(scope, organization))
    return Challenge(token=token, question=_question(nonce, locale, organization).text)


def read_token(scope: str, token: str, organization) -> dict:
    """The token's content once its signature, form, organization and age are checked."""
    try:
        payload = signing.loads(
            token or "", salt=_salt(scope, organization), max_age=settings.CAPTCHA_TOKEN_MAX_AGE
        )
    except signing.SignatureExpired as error:
        raise CaptchaError(_("The question expired. Please answer this new one.")) from error
    except signing.BadSignature as error:
        raise CaptchaError(
            _("The security question could not be checked. Please answer this one.")
        ) from error
    if not isinstance(payload, dict) or not {"n", "l", "t"} <= payload.keys():
        raise CaptchaError(_("The security question could not be checked. Please answer this one."))
    return payload


def question_of(payload: dict, organization) -> Question:
    return _question(payload["n"], payload["l"], organization)


def _consume(nonce: str) -> bool:
    """True the first time a nonce is seen by any process, False afterwards."""
    return caches["shared"].add(f"captcha-used:{nonce}", 1, timeout=settings.CAPTCHA_TOKEN_MAX_AGE + 60)


def verify(scope: str, token: str, answer: str, organization) -> None:
    """Check a token and its answer, using the token up; CaptchaError says what went wrong."""
    payload = read_token(scope, token, organization)
    if not _consume(payload["n"]):
        raise CaptchaError(_("This security question was already used. Please answer this new one."))
    if time.time() - payload["t"] < settings.CAPTCHA_MIN_FILL_SECONDS:
        raise CaptchaError(_("The form was sent too fast. Please answer this new question."))
    if not question_of(payload, organization).accepts(answer or ""):
        raise CaptchaError(_("Wrong answer to the security question. Please answer this new one."))
