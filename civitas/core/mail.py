"""E-mails are rendered now, in the recipient's language, and sent after commit by the queue.

Rendering at enqueue time means the worker needs no request; sending after commit
means a rolled-back action never e-mails anyone.
"""

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from civitas.core.tasks import send_email

# The template engine of plain text (settings.TEMPLATES): subjects and text bodies are not HTML.
TEXT_TEMPLATES = "text"


def render_text(template_name: str, context: dict) -> str:
    """A plain-text template rendered without HTML escaping."""
    return render_to_string(template_name, context, using=TEXT_TEMPLATES)


def render_subject(template_name: str, context: dict) -> str:
    """An e-mail subject: plain text on one line."""
    return " ".join(render_text(template_name, context).split())


def send_email_after_commit(
    *, to: str, template: str, context: dict, locale: str | None, organization=None
) -> None:
    """Render ``<template>_subject.txt`` / ``.txt`` / ``.html`` and queue the message."""
    context = {**context, "organization": organization}
    with translation.override(locale or (organization.default_locale if organization else "fr")):
        subject = render_subject(f"{template}_subject.txt", context)
        text_body = render_text(f"{template}.txt", context)
        html_body = render_to_string(f"{template}.html", context)
    reply_to = [organization.contact_email] if organization and organization.contact_email else None
    transaction.on_commit(
        lambda: send_email(
            to=[to], subject=subject, text_body=text_body, html_body=html_body, reply_to=reply_to
        )
    )
