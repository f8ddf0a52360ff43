"""Terms of use and help pages: publishing, accepting, and the cheap facts every page needs.

Every page asks two things of this app: the number of the organization's current terms
(is the participant up to date?) and whether it has help pages (the footer's "Help"
link). Both come from one cache entry whose key carries the organization's
``updated_at``, which the organization middleware reads on every request anyway:
publishing terms or changing the list of help pages moves that stamp in the same
transaction, so every process and every cached anonymous page (whose keys carry the
stamp too) sees the change at once, whatever cache backend each process has.
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.actionlog.services import log_action, snapshot
from civitas.core.richtext import plain_text
from civitas.legal.models import HelpPage, HelpPageRevision, TermsAcceptance, TermsVersion
from civitas.organizations.models import Organization

# The session remembers the newest version this person accepted: no query on the next pages.
ACCEPTED_SESSION_KEY = "legal_terms_accepted"
_FACTS_TIMEOUT = 24 * 3600


class LegalError(Exception):
    pass


def _facts_key(organization) -> str:
    stamp = organization.updated_at.timestamp() if organization.updated_at else 0
    return f"legal:facts:{organization.pk}:{stamp}"


def site_facts(organization) -> dict:
    """``{"terms": current version number (0: the built-in text), "help": any help page}``."""
    key = _facts_key(organization)
    facts = cache.get(key)
    if facts is None:
        facts = {
            "terms": TermsVersion.objects.filter(organization=organization).aggregate(n=Max("number"))["n"]
            or 0,
            "help": HelpPage.objects.filter(organization=organization).exists(),
        }
        cache.set(key, facts, _FACTS_TIMEOUT)
    return facts


def current_terms_number(organization) -> int:
    return site_facts(organization)["terms"]


def current_terms(organization) -> TermsVersion | None:
    return TermsVersion.objects.filter(organization=organization).order_by("-number").first()


def _facts_changed(organization) -> None:
    """Move the organization's stamp (in the caller's transaction) and forget the old facts."""
    old_key = _facts_key(organization)
    now = timezone.now()
    Organization.objects.filter(pk=organization.pk).update(updated_at=now)
    organization.updated_at = now
    transaction.on_commit(lambda: cache.delete(old_key))


# --- Terms -------------------------------------------------------------------------


def check_publish_terms(*, body: str, summary: str) -> None:
    if not plain_text(body):
        raise LegalError(_("Write the text of the terms."))
    if not summary.strip():
        raise LegalError(_("Say in a sentence what changed."))


def do_publish_terms(*, organization, user, title: str, body: str, summary: str) -> TermsVersion:
    check_publish_terms(body=body, summary=summary)
    with transaction.atomic():
        # One publisher at a time per organization: the numbers follow each other without a gap.
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        last = TermsVersion.objects.filter(organization=organization).aggregate(n=Max("number"))["n"] or 0
        version = TermsVersion.objects.create(
            organization=organization,
            number=last + 1,
            title=title.strip(),
            body=body,
            summary=summary.strip(),
            author=user,
        )
        log_action(
            organization=organization,
            user=user,
            action="terms.publish",
            target=version,
            after=snapshot(version, fields=["number", "title", "summary", "body"]),
        )
        if user is not None and user.organization_id == organization.pk:
            # Whoever writes the terms is not asked to accept what they just published.
            TermsAcceptance.objects.create(user=user, version=version)
        _facts_changed(organization)
    return version


def last_accepted_number(user) -> int:
    return TermsAcceptance.objects.filter(user=user).aggregate(n=Max("version__number"))["n"] or 0


def do_accept_terms(*, user, version: TermsVersion) -> TermsAcceptance:
    if version.organization_id != user.organization_id:
        raise LegalError(_("These terms belong to another organization."))
    acceptance, _created = TermsAcceptance.objects.get_or_create(user=user, version=version)
    return acceptance


def do_record_sign_up_acceptance(user) -> TermsAcceptance | None:
    """The terms in force when the account is created, accepted by ticking the sign-up box."""
    version = current_terms(user.organization)
    if version is None:  # the built-in text: the account's accepted_terms_at says it
        return None
    return do_accept_terms(user=user, version=version)


def remember_acceptance(request, number: int) -> None:
    request.session[ACCEPTED_SESSION_KEY] = number


# --- Help pages --------------------------------------------------------------------

HELP_FIELDS = ["title", "slug", "body"]


def _revise(page: HelpPage, user, changed: list[str]) -> HelpPageRevision:
    return HelpPageRevision.objects.create(
        page=page, author=user, title=page.title, slug=page.slug, body=page.body, changed=changed
    )


def slug_taken(organization, slug: str, *, exclude_pk=None) -> bool:
    pages = HelpPage.objects.filter(organization=organization, slug=slug)
    if exclude_pk is not None:
        pages = pages.exclude(pk=exclude_pk)
    return pages.exists()


def do_create_help_page(*, organization, user, title: str, slug: str, body: str) -> HelpPage:
    with transaction.atomic():
        last = HelpPage.objects.filter(organization=organization).aggregate(n=Max("position"))["n"]
        page = HelpPage.objects.create(
            organization=organization,
            title=title,
            slug=slug,
            body=body,
            position=0 if last is None else last + 1,
        )
        _revise(page, user, HELP_FIELDS)
        log_action(
            organization=organization,
            user=user,
            action="help_page.create",
            target=page,
            after=snapshot(page, fields=HELP_FIELDS),
        )
        _facts_changed(organization)
    return page


def do_update_help_page(*, organization, user, page: HelpPage, title: str, slug: str, body: str) -> HelpPage:
    with transaction.atomic():
        before = snapshot(HelpPage.objects.get(pk=page.pk), fields=HELP_FIELDS)
        page.title, page.slug, page.body = title, slug, body
        page.save()
        after = snapshot(page, fields=HELP_FIELDS)
        changed = [name for name in HELP_FIELDS if before[name] != after[name]]
        _revise(page, user, changed)
        log_action(
            organization=organization,
            user=user,
            action="help_page.update",
            target=page,
            before=before,
            after=after,
        )
    return page


def do_delete_help_page(*, organization, user, page: HelpPage) -> None:
    with transaction.atomic():
        log_action(
            organization=organization,
            user=user,
            action="help_page.delete",
            target=page,
            before=snapshot(page, fields=HELP_FIELDS),
        )
        page.delete()
        _facts_changed(organization)


def do_move_help_page(*, organization, user, page: HelpPage, direction: str) -> None:
    """One place up or down the list; the positions are written again from 0."""
    with transaction.atomic():
        pages = list(
            HelpPage.objects.select_for_update().filter(organization=organization).order_by("position", "pk")
        )
        index = next(i for i, item in enumerate(pages) if item.pk == page.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(pages):
            return
        before = [item.title for item in pages]
        pages[index], pages[other] = pages[other], pages[index]
        for position, item in enumerate(pages):
            if item.position != position:
                HelpPage.objects.filter(pk=item.pk).update(position=position)
        log_action(
            organization=organization,
            user=user,
            action="help_page.reorder",
            target=page,
            before={"order": before},
            after={"order": [item.title for item in pages]},
        )
