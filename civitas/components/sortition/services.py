"""Domain actions of a citizen panel: ``check_…`` says why not, ``do_…`` changes data (logged)."""

from __future__ import annotations

import csv
import io
import re
import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from civitas.actionlog.services import log_action, snapshot
from civitas.authorizations.requirements import verification_refusal
from civitas.components.sortition.models import Feature, FeatureValue, Panel, PaperKeying, Volunteer
from civitas.components.sortition.pool import features_with_values, validate_answers
from civitas.core.double_entry import FormStatus, form_status
from civitas.sortition.draw import (
    COMMIT_REVEAL,
    MINIMUM_CONTRIBUTORS,
    PUBLIC_DRAW,
    SeedError,
    document_hash,
    draw,
    normalise_seed,
    publish_document,
    rule_draw_at,
    seed_from_reveals,
    seed_rule,
)
from civitas.sortition.model import quotas_from_shares

MAX_IMPORT_ERRORS_SHOWN = 20
# What a paper or CSV registration holds besides the feature answers.
PERSON_FIELDS = ("name", "email", "phone")


class SortitionError(Exception):
    def __init__(self, message: str = "", errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


def panel_of(component) -> Panel:
    panel, _created = Panel.objects.get_or_create(component=component)
    panel.component = component
    return panel


def _log(panel: Panel, user, action: str, *, before=None, after=None, target=None) -> None:
    component = panel.component
    log_action(
        organization=component.space.organization,
        user=user,
        action=action,
        target=target or panel,
        space=component.space,
        before=before,
        after=after,
    )


def public_url(panel: Panel) -> str:
    component = panel.component
    return reverse(
        "sortition:panel", kwargs={"space_slug": component.space.slug, "component_id": component.pk}
    )


# --- Set-up ---------------------------------------------------------------------------


def check_can_change_setup(panel: Panel) -> str | None:
    if panel.state in (Panel.State.PUBLISHED, Panel.State.DRAWN):
        return _("The lottery is published: the quotas and the panel size can no longer change.")
    return None


def check_can_change_features(panel: Panel) -> str | None:
    reason = check_can_change_setup(panel)
    if reason:
        return reason
    if panel.volunteers.exists() or panel.keyings.exists():
        return _("Volunteers have answered these questions: features and values can no longer change.")
    return None


def _lottery_is_stale(panel: Panel, user, reason: str) -> None:
    """A computed lottery no longer fits the pool or the quotas: discard it (before publication)."""
    if panel.state in (Panel.State.COMPUTING, Panel.State.COMPUTED):
        panel.state = Panel.State.SETUP
        panel.lottery = None
        panel.lottery_hash = ""
        panel.computation_token = ""
        panel.progress = 0
        panel.save()
    elif panel.state == Panel.State.PUBLISHED:
        # The published file names the pool as it was: it cannot be drawn any more. Say so publicly.
        panel.cancelled_publications = [
            *panel.cancelled_publications,
            {
                "hash": panel.lottery_hash,
                "published_at": panel.published_at.isoformat(),
                "cancelled_at": timezone.now().isoformat(),
                "reason": reason,
                # Withdrawing once the seed may be known would let one choose between draws:
                # the page says when that was the case.
                "seed_known_at": (panel.lottery.get("seed") or {}).get("draw_at", ""),
            },
        ]
        panel.state = Panel.State.SETUP
        panel.lottery = None
        panel.lottery_hash = ""
        panel.published_at = None
        panel.save()
        _log(panel, user, "sortition.publication_cancel", after={"reason": reason})


@transaction.atomic
def do_configure(*, panel: Panel, user, panel_size: int, alternates: int, method: str) -> None:
    reason = check_can_change_setup(panel)
    if reason:
        raise SortitionError(reason)
    before = snapshot(panel, ["panel_size", "alternates", "method"])
    panel.panel_size, panel.alternates, panel.method = panel_size, alternates, method
    panel.save(update_fields=["panel_size", "alternates", "method"])
    _log(
        panel,
        user,
        "sortition.configure",
        before=before,
        after=snapshot(panel, ["panel_size", "alternates", "method"]),
    )
    _lottery_is_stale(panel, user, "configuration")


def parse_values(text: str) -> list[tuple[str, float | None]]:
    """One value per line, optionally ``label: share`` (percent of the population)."""
    values = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        label, separator, share = line.rpartition(":") if ":" in line else (line, "", "")
        label = label.strip()
        if not separator:
            values.append((line, None))
            continue
        try:
            number = float(share.strip().rstrip("%").replace(",", "."))
        except ValueError:
            raise SortitionError(
                _("“%(line)s”: the share after “:” must be a number.") % {"line": line}
            ) from None
        if number < 0:
            raise SortitionError(_("“%(line)s”: a share cannot be negative.") % {"line": line})
        values.append((label, number))
    labels = [label for label, _share in values]
    if len(values) < 2:
        raise SortitionError(_("A feature needs at least two values, one per line."))
    if len(set(labels)) != len(labels) or not all(labels):
        raise SortitionError(_("Each value must have a label, and a different one."))
    return values


def quotas_for(panel_size: int, shares: list[float | None], tolerance: float) -> list[tuple[int, int]]:
    """Quotas from population shares ± tolerance (percentage points); no share → 0 to panel size."""
    if any(share is None for share in shares) or not sum(s for s in shares if s):
        return [(0, panel_size)] * len(shares)
    named = {str(index): share for index, share in enumerate(shares)}
    quotas = quotas_from_shares(named, panel_size, tolerance / 100)
    return [(quotas[str(index)].minimum, quotas[str(index)].maximum) for index in range(len(shares))]


@transaction.atomic
def do_add_feature(*, panel: Panel, user, name: str, values_text: str, tolerance: float) -> Feature:
    reason = check_can_change_features(panel)
    if reason:
        raise SortitionError(reason)
    values = parse_values(values_text)
    if panel.features.filter(name=name).exists():
        raise SortitionError(_("There is already a feature named “%(name)s”.") % {"name": name})
    feature = Feature.objects.create(panel=panel, name=name, position=panel.features.count())
    quotas = quotas_for(panel.panel_size, [share for _label, share in values], tolerance)
    for position, ((label, share), (low, high)) in enumerate(zip(values, quotas, strict=True)):
        FeatureValue.objects.create(
            feature=feature, label=label, position=position, minimum=low, maximum=high, population_share=share
        )
    _log(panel, user, "sortition.feature_add", target=feature, after={"name": name, "values": values})
    _lottery_is_stale(panel, user, "features")
    return feature


@transaction.atomic
def do_delete_feature(*, feature: Feature, user) -> None:
    panel = feature.panel
    reason = check_can_change_features(panel)
    if reason:
        raise SortitionError(reason)
    _log(panel, user, "sortition.feature_delete", target=feature, before={"name": feature.name})
    feature.delete()
    _lottery_is_stale(panel, user, "features")


@transaction.atomic
def do_set_quotas(*, panel: Panel, user, quotas: dict[int, tuple[int, int]]) -> None:
    """``quotas``: value id → (minimum, maximum)."""
    reason = check_can_change_setup(panel)
    if reason:
        raise SortitionError(reason)
    values = {v.pk: v for v in FeatureValue.objects.filter(feature__panel=panel)}
    before, after = {}, {}
    for value_id, (low, high) in quotas.items():
        value = values.get(value_id)
        if value is None:
            raise SortitionError(_("This value does not belong to this panel."))
        if low > high:
            raise SortitionError(_("%(value)s: the minimum is above the maximum.") % {"value": value})
        if (value.minimum, value.maximum) != (low, high):
            before[str(value)] = [value.minimum, value.maximum]
            after[str(value)] = [low, high]
            value.minimum, value.maximum = low, high
            value.save(update_fields=["minimum", "maximum"])
    if after:
        _log(panel, user, "sortition.quotas", before=before, after=after)
        _lottery_is_stale(panel, user, "quotas")


@transaction.atomic
def do_apply_shares(*, panel: Panel, user, tolerance: float) -> None:
    """Recompute every quota from the population shares ± tolerance (after a panel-size change)."""
    reason = check_can_change_setup(panel)
    if reason:
        raise SortitionError(reason)
    quotas = {}
    for feature in features_with_values(panel):
        values = list(feature.values.all())
        for value, bounds in zip(
            values, quotas_for(panel.panel_size, [v.population_share for v in values], tolerance), strict=True
        ):
            quotas[value.pk] = bounds
    do_set_quotas(panel=panel, user=user, quotas=quotas)


# --- The pool -------------------------------------------------------------------------


def check_pool_open(panel: Panel) -> str | None:
    if panel.state == Panel.State.DRAWN:
        return _("The panel has been drawn: the pool is closed.")
    if not panel.features.exists():
        return _("The questions of this panel are not ready yet.")
    return None


def check_can_register(panel: Panel, user) -> str | None:
    reason = check_pool_open(panel)
    if reason:
        return reason
    if not user.is_authenticated:
        return _("Log in to volunteer.")
    if not user.has_perm("sortition.register", panel.component):
        return verification_refusal(user, panel.component, "register") or _(
            "Registrations are not open in this phase, or you may not take part in this space."
        )
    if panel.volunteers.filter(user=user, withdrawn_at__isnull=True).exists():
        return _("You are already in the pool of volunteers.")
    return None


def _read_person(data, features) -> tuple[dict, dict, dict[str, str]]:
    person = {name: str(data.get(name, "") or "").strip() for name in PERSON_FIELDS}
    errors = {}
    if not person["name"]:
        errors["name"] = _("Give a name.")
    if len(person["name"]) > 200 or len(person["email"]) > 254 or len(person["phone"]) > 40:
        errors["name"] = _("A field is too long.")
    answers, answer_errors = validate_answers(features, data)
    for feature_name, kind in answer_errors.items():
        errors[feature_name] = (
            _("Choose an answer.") if kind == "missing" else _("This answer is not one of the choices.")
        )
    return person, answers, errors


def _create_volunteer(panel: Panel, *, source: str, person: dict, answers: dict, user=None) -> Volunteer:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Volunteer.objects.create(
                    panel=panel,
                    user=user,
                    source=source,
                    answers=answers,
                    consent_at=timezone.now(),
                    **person,
                )
        except IntegrityError:
            # A code collision (one in 10^12) or a second tab registering the same person.
            if user is not None and panel.volunteers.filter(user=user, withdrawn_at__isnull=True).exists():
                raise SortitionError(_("You are already in the pool of volunteers.")) from None
    raise SortitionError(_("Please try again."))


def do_register(*, panel: Panel, user, data) -> Volunteer:
    """An online registration: answers, contact details and explicit consent."""
    reason = check_can_register(panel, user)
    if reason:
        raise SortitionError(reason)
    features = features_with_values(panel)
    person, answers, errors = _read_person(data, features)
    if not data.get("consent"):
        errors["consent"] = _("Your consent is needed to take part in the draw.")
    if errors:
        raise SortitionError(_("Some answers need your attention."), errors)
    with transaction.atomic():
        volunteer = _create_volunteer(
            panel, source=Volunteer.Source.ONLINE, person=person, answers=answers, user=user
        )
        _lottery_is_stale(panel, user, "pool")
    return volunteer


def check_can_withdraw(volunteer: Volunteer) -> str | None:
    if volunteer.withdrawn_at:
        return _("This registration has already been withdrawn.")
    if volunteer.panel.state == Panel.State.DRAWN:
        return _("The panel has been drawn: withdrawing now is done by telling the organisers.")
    return None


@transaction.atomic
def do_withdraw(*, volunteer: Volunteer, user) -> None:
    reason = check_can_withdraw(volunteer)
    if reason:
        raise SortitionError(reason)
    panel = Panel.objects.select_for_update().get(pk=volunteer.panel_id)
    panel.component = volunteer.panel.component
    volunteer.withdrawn_at = timezone.now()
    volunteer.save(update_fields=["withdrawn_at"])
    if user != volunteer.user:
        _log(panel, user, "sortition.withdraw", target=volunteer, after={"code": volunteer.code})
    _lottery_is_stale(panel, user, "withdrawal")


# --- Paper registrations, keyed twice ------------------------------------------------


def do_key_paper(*, panel: Panel, user, form_number: str, data) -> PaperKeying:
    """Key one paper form; it registers the volunteer once two people keyed it identically.

    The rule of the paper consultation forms (``civitas.core.double_entry``): every keying
    of the form must agree; a difference waits until the wrong keying is deleted and redone.
    """
    reason = check_pool_open(panel)
    if reason:
        raise SortitionError(reason)
    form_number = form_number.strip()
    features = features_with_values(panel)
    person, answers, errors = _read_person(data, features)
    if not form_number:
        errors["form_number"] = _("Give the number printed on the form.")
    if not data.get("consent"):
        errors["consent"] = _("The form must carry the volunteer's signed consent.")
    if errors:
        raise SortitionError(_("Some answers need your attention."), errors)
    payload = {"person": person, "answers": answers}
    with transaction.atomic():
        Panel.objects.select_for_update().get(pk=panel.pk)
        others = list(PaperKeying.objects.filter(panel=panel, form_number=form_number).exclude(keyed_by=user))
        if any(keying.volunteer_id for keying in others):
            raise SortitionError(_("The form %(number)s is already registered.") % {"number": form_number})
        try:
            with transaction.atomic():
                keying = PaperKeying.objects.create(
                    panel=panel, form_number=form_number, keyed_by=user, payload=payload
                )
        except IntegrityError:
            message = _("You have already keyed the form %(number)s.") % {"number": form_number}
            raise SortitionError(message, {"form_number": message}) from None
        status = form_status([*others, keying], keyer=lambda k: k.keyed_by_id, payload=lambda k: k.payload)
        if status is FormStatus.AGREED:
            volunteer = _create_volunteer(
                panel, source=Volunteer.Source.PAPER, person=person, answers=answers
            )
            PaperKeying.objects.filter(pk__in=[keying.pk, *(k.pk for k in others)]).update(
                volunteer=volunteer
            )
            keying.volunteer = volunteer
            _log(panel, user, "sortition.paper_register", target=volunteer, after={"form": form_number})
            _lottery_is_stale(panel, user, "pool")
    return keying


def paper_status(panel: Panel) -> dict:
    """Forms keyed once (waiting for the second keying) and forms whose keyings differ."""
    pending, differing = [], []
    by_form: dict[str, list[PaperKeying]] = {}
    for keying in panel.keyings.select_related("keyed_by").filter(volunteer__isnull=True):
        by_form.setdefault(keying.form_number, []).append(keying)
    for form_number, keyings in by_form.items():
        (differing if len(keyings) > 1 else pending).append((form_number, keyings))
    return {"pending": pending, "differing": differing}


@transaction.atomic
def do_delete_keying(*, keying: PaperKeying, user) -> None:
    if keying.volunteer_id:
        raise SortitionError(_("This form is registered: withdraw the volunteer instead."))
    _log(keying.panel, user, "sortition.keying_delete", before=snapshot(keying), target=keying)
    keying.delete()


# --- CSV import -----------------------------------------------------------------------


class _Rollback(Exception):
    pass


def do_import_csv(*, panel: Panel, user, file) -> int:
    """Register every row (columns name, email, phone, consent, then one per feature); all or nothing."""
    reason = check_pool_open(panel)
    if reason:
        raise SortitionError(reason)
    try:
        text = file.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SortitionError(_("The file must be a CSV file encoded in UTF-8.")) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    features = features_with_values(panel)
    expected = ["name", "consent", *(f.name for f in features)]
    missing = [column for column in expected if column not in (reader.fieldnames or [])]
    if missing:
        raise SortitionError(
            _("Nothing was imported: the first line must name the columns; missing: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    errors: dict[int, str] = {}
    count = 0
    try:
        with transaction.atomic():
            for line, row in enumerate(reader, start=2):
                data = {name: value for name, value in row.items() if name}
                for feature in features:
                    data[f"feature_{feature.pk}"] = row.get(feature.name, "")
                person, answers, row_errors = _read_person(data, features)
                if (row.get("consent") or "").strip().lower() not in ("yes", "oui", "1", "true", "x"):
                    row_errors["consent"] = _("no consent (write “yes”)")
                if row_errors:
                    errors[line] = "; ".join(f"{key}: {message}" for key, message in row_errors.items())
                    continue
                _create_volunteer(panel, source=Volunteer.Source.IMPORT, person=person, answers=answers)
                count += 1
            if errors or not count:
                raise _Rollback
            _log(panel, user, "sortition.import", after={"volunteers": count})
            _lottery_is_stale(panel, user, "pool")
    except _Rollback:
        if not errors:
            raise SortitionError(_("The file holds no volunteer.")) from None
        lines = " ".join(
            _("Line %(line)s: %(error)s.") % {"line": line, "error": message}
            for line, message in list(errors.items())[:MAX_IMPORT_ERRORS_SHOWN]
        )
        raise SortitionError(_("Nothing was imported. %(lines)s") % {"lines": lines}) from None
    return count


# --- The lottery ----------------------------------------------------------------------


def check_can_compute(panel: Panel) -> str | None:
    if panel.state in (Panel.State.PUBLISHED, Panel.State.DRAWN):
        return _("The lottery is already published.")
    if not panel.features.exists():
        return _("Define at least one feature first.")
    if panel.volunteers.filter(withdrawn_at__isnull=True).count() < panel.panel_size:
        return _("The pool has fewer volunteers than seats on the panel.")
    return None


def do_start_computation(*, panel: Panel, user) -> None:
    from civitas.components.sortition.tasks import compute_lottery

    reason = check_can_compute(panel)
    if reason:
        raise SortitionError(reason)
    token = secrets.token_hex(16)
    with transaction.atomic():
        panel.state = Panel.State.COMPUTING
        panel.computation_token = token
        panel.progress = 0
        panel.problems = []
        panel.lottery = None
        panel.lottery_hash = ""
        panel.save()
        _log(panel, user, "sortition.compute", after={"method": panel.method})
        transaction.on_commit(lambda: compute_lottery(panel.pk, token))


# --- Where the seed comes from --------------------------------------------------------
#
# Whoever may type the seed could try seeds offline, with the published file, until the
# volunteer they want is seated. So the seed's source is fixed in the file at publication,
# and must not exist yet: the numbers of a public draw on a stated future date, or the
# secrets of independent contributors whose SHA-256 the file prints. The seed can only be
# entered from the announced time on.

# Between publication and the announced time: the file is public before the seed exists.
MINIMUM_NOTICE = timedelta(hours=1)


def build_seed_rule(
    *, kind: str, description: str, draw_at, contributors: list[tuple[str, str]], now=None
) -> dict:
    """The seed rule to publish, or a SortitionError naming each field to correct."""
    now = now or timezone.now()
    description = description.strip()
    contributors = [(name.strip(), digest.strip().lower()) for name, digest in contributors]
    errors = {}
    if kind not in (PUBLIC_DRAW, COMMIT_REVEAL):
        errors["seed_kind"] = _("Choose where the seed will come from.")
    if kind == PUBLIC_DRAW and not description:
        errors["seed_description"] = _(
            "Name the public draw whose numbers will be the seed, with its date, e.g. “les numéros du "
            "tirage EuroMillions du vendredi 11 décembre 2026”."
        )
    if draw_at is None:
        errors["draw_at"] = _("Give the date and time from which the seed will be known.")
    elif draw_at < now + MINIMUM_NOTICE:
        errors["draw_at"] = _(
            "Announce a time at least one hour from now: the seed must not exist yet when the lottery "
            "is published."
        )
    if kind == COMMIT_REVEAL:
        names = [name for name, _digest in contributors]
        digests = [digest for _name, digest in contributors]
        if len(contributors) < MINIMUM_CONTRIBUTORS or not all(names):
            errors["contributors"] = _(
                "Name at least two contributors, independent of each other, with their commitments."
            )
        elif not all(re.fullmatch(r"[0-9a-f]{64}", digest) for digest in digests):
            errors["contributors"] = _(
                "A commitment is the SHA-256 of the secret: 64 characters, digits and letters a to f."
            )
        elif len(set(names)) != len(names) or len(set(digests)) != len(digests):
            errors["contributors"] = _(
                "Each contributor appears once, with their own commitment: two identical commitments "
                "mean one secret was shared."
            )
    if errors:
        raise SortitionError(_("The seed's source needs your attention."), errors)
    return seed_rule(
        kind=kind,
        description=description,
        draw_at=timezone.localtime(draw_at).replace(microsecond=0),
        contributors=contributors,
    )


def recheck_seed_rule(rule: dict) -> dict:
    """A rule built from a form, checked again when it is published: time has passed meanwhile."""
    return build_seed_rule(
        kind=rule["kind"],
        description=rule["description"],
        draw_at=rule_draw_at(rule),
        contributors=[(c["name"], c["commitment"]) for c in rule.get("contributors", [])],
    )


def check_can_enter_seed(rule: dict | None, now=None) -> str | None:
    if not rule:
        return _(
            "This was published before the seed's source had to be fixed: it cannot be drawn. "
            "Publish it again."
        )
    known_at = rule_draw_at(rule)
    if (now or timezone.now()) < known_at:
        return _("The seed cannot be entered before %(time)s, the time announced at publication.") % {
            "time": date_format(timezone.localtime(known_at), "DATETIME_FORMAT")
        }
    return None


def seed_from_entries(rule: dict, *, seed: str = "", reveals: list[str] = ()) -> str:
    """The seed from what was entered at the draw; a SortitionError (fields named) if it cannot be used."""
    if rule["kind"] != COMMIT_REVEAL:
        try:
            return normalise_seed(seed)
        except SeedError:
            raise SortitionError(
                _("Enter the seed announced at the draw."), {"seed": _("Required.")}
            ) from None
    try:
        return seed_from_reveals(rule, list(reveals))
    except SeedError as error:
        if error.kind != "mismatch":
            field_errors = {} if error.index is None else {f"reveal_{error.index}": _("Required.")}
            raise SortitionError(_("Enter the secret revealed by each contributor."), field_errors) from None
        name = rule["contributors"][error.index]["name"]
        raise SortitionError(
            _("The secret revealed by %(name)s does not match their commitment: nothing was drawn.")
            % {"name": name},
            {
                f"reveal_{error.index}": _(
                    "This is not the secret whose SHA-256 %(name)s gave before publication."
                )
                % {"name": name}
            },
        ) from None


# --- Publication and draw -------------------------------------------------------------


def check_can_publish(panel: Panel) -> str | None:
    if panel.state != Panel.State.COMPUTED:
        return _("Compute the lottery first.")
    return None


@transaction.atomic
def do_publish(*, panel: Panel, user, rule: dict) -> None:
    """Publish the lottery with where its seed will come from: the file and its hash cover both."""
    panel = Panel.objects.select_for_update().select_related("component__space").get(pk=panel.pk)
    reason = check_can_publish(panel)
    if reason:
        raise SortitionError(reason)
    if document_hash(panel.lottery) != panel.lottery_hash:
        raise SortitionError(_("The stored lottery no longer matches its hash: compute it again."))
    rule = recheck_seed_rule(rule)
    panel.lottery = publish_document(panel.lottery, rule)
    panel.lottery_hash = document_hash(panel.lottery)
    panel.seed_source = rule["description"]
    panel.state = Panel.State.PUBLISHED
    panel.published_at = timezone.now()
    panel.save(update_fields=["lottery", "lottery_hash", "seed_source", "state", "published_at"])
    _log(panel, user, "sortition.publish", after={"hash": panel.lottery_hash, "seed": rule})


def check_can_cancel_publication(panel: Panel) -> str | None:
    if panel.state != Panel.State.PUBLISHED:
        return _("Only a published lottery that has not been drawn can be withdrawn.")
    rule = panel.seed_rule or {}
    known_at = panel.seed_known_at
    if rule.get("kind") == PUBLIC_DRAW and known_at is not None and timezone.now() >= known_at:
        # Once the public draw's numbers are out, anyone can compute the panel: withdrawing
        # now would let an admin discard an outcome they dislike and publish again.
        return _("The public draw's numbers are known: the lottery must be drawn with them, not withdrawn.")
    return None


@transaction.atomic
def do_cancel_publication(*, panel: Panel, user, explanation: str) -> None:
    """Withdraw, in public, a lottery that cannot be drawn (a contributor lost their secret,
    the announced public draw did not take place…). It is computed and published again after."""
    panel = Panel.objects.select_for_update().select_related("component__space").get(pk=panel.pk)
    reason = check_can_cancel_publication(panel)
    if reason:
        raise SortitionError(reason)
    explanation = explanation.strip()
    if not explanation:
        message = _("Say publicly why the lottery is withdrawn.")
        raise SortitionError(message, {"explanation": message})
    _lottery_is_stale(panel, user, explanation)


def check_can_draw(panel: Panel, now=None) -> str | None:
    if panel.state == Panel.State.DRAWN:
        return _("The panel has already been drawn.")
    if panel.state != Panel.State.PUBLISHED:
        return _("Publish the lottery and its hash before the draw.")
    return check_can_enter_seed(panel.seed_rule, now)


def do_draw(*, panel: Panel, user, seed: str = "", reveals: list[str] = ()) -> None:
    """Draw the panel from the published lottery and the seed from its announced source.

    ``seed``: the numbers of the announced public draw; ``reveals``: for commit–reveal, each
    contributor's secret, in the file's order. Nothing is drawn unless each matches.
    """
    with transaction.atomic():
        panel = (
            Panel.objects.select_for_update()
            .select_related("component__space__organization")
            .get(pk=panel.pk)
        )
        reason = check_can_draw(panel)
        if reason:
            raise SortitionError(reason)
        rule = panel.seed_rule
        seed = seed_from_entries(rule, seed=seed, reveals=reveals)
        if document_hash(panel.lottery) != panel.lottery_hash:
            raise SortitionError(_("The stored lottery no longer matches its published hash."))
        result = draw(panel.lottery, seed)
        panel.seed = seed
        panel.seed_reveals = [secret.strip() for secret in reveals] if rule["kind"] == COMMIT_REVEAL else []
        panel.drawn_at = timezone.now()
        panel.drawn_panel_number = result.panel_number
        panel.selected_codes = result.panel
        panel.alternate_codes = result.alternates
        panel.state = Panel.State.DRAWN
        panel.save()
        _log(
            panel,
            user,
            "sortition.draw",
            after={
                "seed": seed,
                "reveals": panel.seed_reveals,
                "panel": result.panel,
                "alternates": result.alternates,
            },
        )
        _tell_volunteers(panel, result.panel, result.alternates)


def _tell_volunteers(panel: Panel, selected: list[str], alternates: list[str]) -> None:
    """In-platform notifications for accounts; an e-mail to paper or imported volunteers."""
    from civitas.core.mail import send_email_after_commit
    from civitas.notifications.services import notify_later

    component = panel.component
    organization = component.space.organization
    volunteers = {v.code: v for v in panel.volunteers.filter(code__in=selected + alternates)}
    params = {"space": component.space.title, "target": component.name}
    url = public_url(panel)
    ranked = [(code, None) for code in selected] + [
        (code, rank) for rank, code in enumerate(alternates, start=1)
    ]
    for code, rank in ranked:
        volunteer = volunteers[code]
        if volunteer.user_id:
            kind = "sortition_selected" if rank is None else "sortition_alternate"
            extra = {} if rank is None else {"rank": rank}
            notify_later(kind=kind, params={**params, **extra}, url=url, user_ids=[volunteer.user_id])
        elif volunteer.email:
            send_email_after_commit(
                to=volunteer.email,
                template="sortition/email/drawn" if rank is None else "sortition/email/alternate",
                context={
                    "name": volunteer.name,
                    "panel_name": component.name,
                    "space": component.space.title,
                    "code": code,
                    "rank": rank,
                },
                locale=None,
                organization=organization,
            )


def lottery_failed(panel: Panel, problems: list[str]) -> None:
    panel.state = Panel.State.SETUP
    panel.problems = problems
    panel.save(update_fields=["state", "problems"])
