"""Domain actions on surveys: ``check_…`` says why not, ``do_…`` changes data."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.actionlog.services import log_action, snapshot
from civitas.ballotbox import services as ballotbox
from civitas.ballotbox.errors import Receipt, closing_errors
from civitas.ballotbox.keys import VoteKeyError
from civitas.ballotbox.models import ReceiptMode
from civitas.components.surveys.models import (
    Answer,
    Batch,
    Keying,
    PrintRun,
    Survey,
    SurveyParticipation,
    UsedSerial,
)
from civitas.components.surveys.questionnaire import (
    format_serial,
    parse_serial,
    questions_for_answering,
    read_answers,
)
from civitas.core.counted_serials import claim_serials
from civitas.core.double_entry import FormStatus, form_status
from civitas.sealing.receipts import new_receipt_code, receipt_hash


class SurveyError(Exception):
    def __init__(self, message: str = "", errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


def _log(survey, user, action: str, before=None, after=None, target=None) -> None:
    component = survey.component
    log_action(
        organization=component.space.organization,
        user=user,
        action=action,
        target=target or survey,
        space=component.space,
        before=before,
        after=after,
    )


# --- Answering online --------------------------------------------------------------


def check_can_answer(survey: Survey, user) -> str | None:
    """Why this person cannot answer now, or None."""
    reason = _refusal(survey, user)
    if reason is None and _answered(survey, user):
        return _("You have already answered this consultation.")
    return reason


def _answered(survey: Survey, user) -> bool:
    return SurveyParticipation.objects.filter(survey=survey, user=user).exists()


def _refusal(survey: Survey, user) -> str | None:
    """Why this person cannot answer now, whether they have answered aside (the ballot box
    refuses a second answer in the transaction that would store it)."""
    from civitas.authorizations.requirements import blocked_only_by_verifications

    component = survey.component
    if survey.is_frozen:
        return _("This consultation is closed.")
    if not survey.is_within_dates():
        if survey.opens_at and timezone.now() < survey.opens_at:
            return _("This consultation is not open yet.")
        return _("This consultation is closed.")
    if not user.is_authenticated:
        return _("Log in to answer.")
    if not user.has_perm("surveys.answer", component):
        if blocked_only_by_verifications(user, component, "answer"):
            return _("This consultation is open only to verified participants: verify your account first.")
        return _("Answers are not open in this phase, or you may not take part in this space.")
    return None


def do_answer(*, survey: Survey, user, data) -> Receipt:
    """Store one encrypted anonymous answer; returns the receipt shown once to the respondent.

    Whether the account has answered already is not read first: the ballot box's insert
    of its participation refuses a second one (AlreadyParticipated), in the same
    transaction, which a read beforehand could not spare anyway.
    """
    reason = _refusal(survey, user)
    if reason:
        raise SurveyError(reason)
    questions = questions_for_answering(survey)
    result = read_answers(questions, data)
    if not result.ok:
        if _answered(survey, user):  # say so rather than ask to fix answers that cannot count
            raise SurveyError(_("You have already answered this consultation."))
        raise SurveyError(_("Some answers need your attention."), result.errors)
    code = new_receipt_code()
    try:
        cast = ballotbox.cast(
            target=survey,
            participation=SurveyParticipation(survey=survey, user=user),
            payload=result.payload,
            receipt=receipt_hash(code),
            payload_bound=questions.size_bound,
        )
    except ballotbox.AlreadyParticipated:
        raise SurveyError(_("You have already answered this consultation.")) from None
    except ballotbox.Frozen:
        raise SurveyError(_("This consultation is closed.")) from None
    except VoteKeyError as error:
        raise SurveyError(error.message) from None
    return Receipt(code=code, fingerprint=cast.fingerprint)


def find_receipt(survey: Survey, code: str) -> Answer | bool | None:
    """The answer a receipt leads to; in inclusion mode only True (counted), never the answer."""
    try:
        digest = receipt_hash(code)
    except ValueError:
        return None
    if survey.published_receipt_mode == ReceiptMode.INCLUSION:
        return ballotbox.receipt_counted(survey, digest) or None
    return Answer.objects.filter(survey=survey, receipt_hash=digest).first()


# --- Closing and results -----------------------------------------------------------


def do_close(*, survey: Survey, user, trustee_keys: list[str] | None = None) -> Survey:
    if survey.is_frozen:
        raise SurveyError(_("This consultation is already closed."))
    with transaction.atomic(), closing_errors(SurveyError):
        ballotbox.close_and_seal(survey, record_model=Answer, trustee_keys=trustee_keys)
        # Batches keyed but not counted are left out: closing says so in the log.
        pending = Batch.objects.filter(survey=survey, counted_at__isnull=True).count()
        _log(
            survey,
            user,
            "survey.close",
            after={"seal": survey.seal, "answers": survey.tally["answers"], "uncounted_batches": pending},
        )
    return survey


def do_set_results_published(*, survey: Survey, user, published: bool) -> None:
    if published and not survey.is_frozen:
        raise SurveyError(_("Close the consultation before publishing its results."))
    with transaction.atomic():
        survey.results_published_at = timezone.now() if published else None
        survey.save(update_fields=["results_published_at"])
        _log(survey, user, "survey.results_published" if published else "survey.results_unpublished")


def do_set_text_hidden(*, survey: Survey, user, answer_id, question_key: str, hidden: bool) -> None:
    from civitas.components.surveys.models import HiddenText

    if not Answer.objects.filter(survey=survey, pk=answer_id).exists():
        raise SurveyError(_("This answer does not exist."))
    with transaction.atomic():
        if hidden:
            HiddenText.objects.get_or_create(survey=survey, answer_id=answer_id, question_key=question_key)
        else:
            HiddenText.objects.filter(survey=survey, answer_id=answer_id, question_key=question_key).delete()
        _log(
            survey,
            user,
            "survey.text_hidden" if hidden else "survey.text_shown",
            after={"answer": str(answer_id), "question": question_key},
        )


# --- Paper forms -------------------------------------------------------------------

MAX_COPIES = 2000


def do_print_run(*, survey: Survey, user, copies: int) -> PrintRun:
    if not 1 <= copies <= MAX_COPIES:
        raise SurveyError(_("Print between 1 and %(max)s copies at a time.") % {"max": MAX_COPIES})
    with transaction.atomic():
        Survey.objects.filter(pk=survey.pk).update(serials_issued=F("serials_issued") + copies)
        issued = Survey.objects.values_list("serials_issued", flat=True).get(pk=survey.pk)
        run = PrintRun.objects.create(survey=survey, first=issued - copies + 1, count=copies, created_by=user)
        _log(survey, user, "survey.print", after={"first": run.first, "count": copies}, target=run)
    survey.serials_issued = issued
    return run


def serials_of(run: PrintRun) -> list[str]:
    return [format_serial(number) for number in range(run.first, run.first + run.count)]


def _check_batch_open(batch: Batch) -> None:
    if batch.counted_at is not None:
        raise SurveyError(_("This batch has been counted: it cannot change any more."))
    if batch.survey.is_frozen:
        raise SurveyError(_("This consultation is closed."))


def do_create_batch(*, survey: Survey, user, label: str, channel: str) -> Batch:
    if survey.is_frozen:
        raise SurveyError(_("This consultation is closed."))
    with transaction.atomic():
        batch = Batch.objects.create(survey=survey, label=label, channel=channel, created_by=user)
        _log(survey, user, "survey.batch_create", after={"label": label, "channel": channel}, target=batch)
    return batch


def do_key_form(*, batch: Batch, user, serial: str, data, replace: bool = False) -> Keying:
    """Key one paper form (same validation as online); ``replace`` corrects one's own keying."""
    _check_batch_open(batch)
    survey = batch.survey
    try:
        number = parse_serial(serial, survey.serials_issued)
    except ValueError as error:
        raise SurveyError(str(error), {"serial": str(error)}) from None
    canonical = format_serial(number)
    result = read_answers(questions_for_answering(survey), data)
    if not result.ok:
        raise SurveyError(_("Some answers need your attention."), result.errors)
    if UsedSerial.objects.filter(survey=survey, serial=canonical).exists():
        message = _("The form %(serial)s has already been counted.") % {"serial": canonical}
        raise SurveyError(message, {"serial": message})
    with transaction.atomic():
        existing = (
            Keying.objects.select_for_update().filter(batch=batch, keyed_by=user, serial=canonical).first()
        )
        if existing and not replace:
            message = _("You have already keyed the form %(serial)s in this batch.") % {"serial": canonical}
            raise SurveyError(message, {"serial": message})
        if existing:
            existing.payload = result.payload
            existing.save(update_fields=["payload", "updated_at"])
            return existing
        try:
            with transaction.atomic():
                return Keying.objects.create(
                    batch=batch, keyed_by=user, serial=canonical, payload=result.payload
                )
        except IntegrityError:
            message = _("You have already keyed the form %(serial)s in this batch.") % {"serial": canonical}
            raise SurveyError(message, {"serial": message}) from None


def do_import_csv(*, batch: Batch, user, file) -> int:
    """Key every row of a CSV file (one column ``serial``, then field names); all or nothing."""
    _check_batch_open(batch)
    try:
        text = file.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SurveyError(_("The file must be a CSV file encoded in UTF-8.")) from None
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    if not reader.fieldnames or "serial" not in reader.fieldnames:
        raise SurveyError(_("The first line must name the columns, starting with “serial”."))
    errors = {}
    count = 0
    try:
        with transaction.atomic():
            for line_number, row in enumerate(reader, start=2):
                data = _MultiValues({name: (value or "") for name, value in row.items() if name})
                try:
                    do_key_form(batch=batch, user=user, serial=row.get("serial") or "", data=data)
                    count += 1
                except SurveyError as error:
                    details = "; ".join(f"{key}: {message}" for key, message in error.errors.items())
                    errors[line_number] = details or error.message
            if errors:
                raise _Rollback
    except _Rollback:
        lines = " ".join(
            _("Line %(line)s: %(error)s.") % {"line": line, "error": message}
            for line, message in list(errors.items())[:20]
        )
        raise SurveyError(_("Nothing was imported. %(lines)s") % {"lines": lines}) from None
    if count == 0:
        raise SurveyError(_("The file holds no form."))
    return count


class _Rollback(Exception):
    pass


class _MultiValues(dict):
    """A CSV row read like a form: ``a|b`` holds several values of one field."""

    def getlist(self, name):
        value = self.get(name, "")
        return value.split("|") if value else []


@dataclass
class Discrepancy:
    serial: str
    keyings: list[Keying]
    reason: str


def batch_status(batch: Batch) -> dict:
    """Keyers, keyed forms, and what still differs between two keyings (double entry)."""
    keyings = list(batch.keyings.select_related("keyed_by").order_by("serial", "pk"))
    keyers = sorted({keying.keyed_by for keying in keyings}, key=lambda user: user.pk)
    by_serial: dict[str, list[Keying]] = {}
    for keying in keyings:
        by_serial.setdefault(keying.serial, []).append(keying)
    discrepancies = []
    if batch.survey.double_entry:
        for serial, group in by_serial.items():
            status = form_status(
                group, keyer=lambda keying: keying.keyed_by_id, payload=lambda keying: keying.payload
            )
            if status is FormStatus.ONE_PERSON:
                discrepancies.append(Discrepancy(serial, group, _("keyed by one person only")))
            elif status is FormStatus.DIFFERENT:
                discrepancies.append(Discrepancy(serial, group, _("the keyings differ")))
    return {
        "keyings": keyings,
        "keyers": keyers,
        "forms": len(by_serial),
        "by_serial": by_serial,
        "discrepancies": discrepancies,
    }


def check_can_count(batch: Batch) -> str | None:
    if batch.counted_at is not None:
        return _("This batch has already been counted.")
    if batch.survey.is_frozen:
        return _("This consultation is closed.")
    status = batch_status(batch)
    if not status["forms"]:
        return _("No form has been keyed in this batch.")
    if batch.survey.double_entry:
        if len(status["keyers"]) < 2:
            return _("Double entry: two different people must key this batch.")
        if status["discrepancies"]:
            return _("Double entry: resolve every difference between the two keyings first.")
    elif len(status["keyers"]) > 1 and any(len(group) > 1 for group in status["by_serial"].values()):
        return _("Some forms were keyed twice: delete the extra keyings first.")
    return None


def do_resolve(*, batch: Batch, user, serial: str, keeping: Keying) -> None:
    """Resolve a double-entry difference: every keying of the form takes the kept values."""
    _check_batch_open(batch)
    if keeping.batch_id != batch.pk or keeping.serial != serial:
        raise SurveyError(_("This keying does not belong to this form."))
    with transaction.atomic():
        changed = Keying.objects.filter(batch=batch, serial=serial).exclude(pk=keeping.pk)
        before = {str(keying.pk): keying.payload for keying in changed}
        changed.update(payload=keeping.payload, updated_at=timezone.now())
        _log(
            batch.survey,
            user,
            "survey.keying_resolve",
            before=before,
            after={"serial": serial, "kept": keeping.pk},
            target=batch,
        )


def do_delete_keying(*, keying: Keying, user) -> None:
    _check_batch_open(keying.batch)
    with transaction.atomic():
        _log(keying.batch.survey, user, "survey.keying_delete", before=snapshot(keying), target=keying.batch)
        keying.delete()


def do_count_batch(*, batch: Batch, user) -> int:
    """Turn a batch's keyed forms into anonymous answers; a serial counts once."""
    with transaction.atomic():
        batch = Batch.objects.select_for_update().select_related("survey").get(pk=batch.pk)
        reason = check_can_count(batch)
        if reason:
            raise SurveyError(reason)
        status = batch_status(batch)
        survey = batch.survey
        serials = list(status["by_serial"])
        claim_serials(
            UsedSerial,
            {"survey": survey},
            batch,
            serials,
            already_counted=_("These forms have already been counted in another batch: %(serials)s."),
            just_counted=_("Some of these forms have just been counted in another batch."),
            error=SurveyError,
        )
        forms = [(batch.channel, status["by_serial"][serial][0].payload) for serial in serials]
        with closing_errors(SurveyError):
            ballotbox.cast_counted_forms(target=survey, records=forms)
        # The keyings tied each answer to its form's serial: once counted, only the used
        # serials remain (each counts once), never what a given form said.
        Keying.objects.filter(batch=batch).delete()
        batch.counted_at = timezone.now()
        batch.counted_answers = len(serials)
        batch.save(update_fields=["counted_at", "counted_answers"])
        _log(
            survey,
            user,
            "survey.batch_count",
            after={"batch": batch.label, "answers": len(serials)},
            target=batch,
        )
    return len(serials)
