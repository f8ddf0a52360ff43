"""Accountability actions (admins only); each writes the action log in its transaction."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from civitas.actionlog.services import log_action, snapshot
from civitas.components.accountability.models import Result, Status, TimelineEntry
from civitas.components.accountability.rollup import Node, RollupError, rolled_up_progress


class AccountabilityError(Exception):
    def __init__(self, message, errors: list[str] | None = None):
        super().__init__(str(message))
        self.message = message
        self.errors = errors or []


def _log(component, user, action: str, target, before=None, after=None) -> None:
    log_action(
        organization=component.space.organization,
        user=user,
        action=action,
        target=target,
        space=component.space,
        before=before,
        after=after,
    )


def descendants_of(result: Result) -> set[int]:
    """Ids of every sub-result, however deep (one query per level)."""
    found: set[int] = set()
    level = {result.pk}
    while level:
        level = set(Result.objects.filter(parent_id__in=level).values_list("pk", flat=True)) - found
        found |= level
    return found


@transaction.atomic
def do_save_result(*, form, user, component) -> Result:
    result = form.instance
    before = snapshot(Result.objects.get(pk=result.pk)) if result.pk else None
    if (
        result.pk
        and result.parent_id
        and (result.parent_id == result.pk or result.parent_id in descendants_of(result))
    ):
        raise AccountabilityError(_("A result cannot be placed under itself or one of its sub-results."))
    result.component = component
    result = form.save()
    _log(component, user, "result.update" if before else "result.create", result, before, snapshot(result))
    return result


@transaction.atomic
def do_delete_result(*, result: Result, user) -> None:
    _log(result.component, user, "result.delete", result, snapshot(result))
    result.delete()


@transaction.atomic
def do_add_timeline_entry(*, form, user, result: Result) -> TimelineEntry:
    """A dated event; its status and progress, if given, become the result's current ones."""
    entry = form.instance
    entry.result = result
    entry = form.save()
    before = snapshot(result, fields=["status", "progress"])
    changed = []
    if entry.status_id:
        result.status_id = entry.status_id
        changed.append("status")
    if entry.progress is not None:
        result.progress = entry.progress
        changed.append("progress")
    if changed:
        result.save(update_fields=[*changed, "updated_at"])
    _log(
        result.component,
        user,
        "result.timeline",
        result,
        before,
        {**snapshot(entry), **snapshot(result, fields=["status", "progress"])},
    )
    return entry


@transaction.atomic
def do_save_status(*, form, user, component) -> Status:
    status = form.instance
    before = snapshot(Status.objects.get(pk=status.pk)) if status.pk else None
    status.component = component
    status = form.save()
    _log(
        component,
        user,
        "result_status.update" if before else "result_status.create",
        status,
        before,
        snapshot(status),
    )
    return status


@transaction.atomic
def do_delete_status(*, status: Status, user) -> None:
    """Results of this status keep the progress it gave them, written into their own field."""
    component = status.component
    for result in Result.objects.filter(status=status, progress__isnull=True):
        result.progress = status.default_progress
        result.save(update_fields=["progress", "updated_at"])
    _log(component, user, "result_status.delete", status, snapshot(status))
    status.delete()


@transaction.atomic
def do_create_from_budget_winners(*, component, user, budgets_component) -> list[Result]:
    """One result per winning project of the closed budgets, linked to it; known ones are skipped."""
    from civitas.components.budgets.models import Budget, Project

    if budgets_component.space_id != component.space_id:
        raise AccountabilityError(_("Choose a budget of this space."))
    created = []
    linked = set(
        Result.projects.through.objects.filter(result__component=component).values_list(
            "project_id", flat=True
        )
    )
    for budget in Budget.objects.filter(component=budgets_component, frozen_at__isnull=False):
        winners = [int(pk) for pk in (budget.tally or {}).get("winners", [])]
        for project in Project.objects.filter(pk__in=winners).exclude(pk__in=linked).order_by("pk"):
            result = Result.objects.create(
                component=component,
                title=project.title,
                description=project.description,
                reference=f"project-{project.pk}",
            )
            result.projects.add(project)
            created.append(result)
            _log(component, user, "result.create", result, after={**snapshot(result), "project": project.pk})
    return created


@transaction.atomic
def do_create_from_proposals(*, component, user, proposals) -> list[Result]:
    """One result per accepted proposal of this space, linked to it; known ones are skipped."""
    from civitas.components.proposals.models import Proposal

    linked = set(
        Result.proposals.through.objects.filter(result__component=component).values_list(
            "proposal_id", flat=True
        )
    )
    created = []
    for proposal in proposals:
        if proposal.pk in linked or proposal.state != Proposal.State.ACCEPTED:
            continue
        if proposal.component.space_id != component.space_id:
            raise AccountabilityError(_("Choose proposals of this space."))
        result = Result.objects.create(
            component=component,
            title=proposal.title,
            description=proposal.body,
            reference=f"proposal-{proposal.pk}",
        )
        result.proposals.add(proposal)
        created.append(result)
        _log(component, user, "result.create", result, after={**snapshot(result), "proposal": proposal.pk})
    return created


# --- CSV import ------------------------------------------------------------------------

CSV_COLUMNS = (
    "reference",
    "parent_reference",
    "title",
    "description",
    "status",
    "progress",
    "weight",
    "start_date",
    "end_date",
    "themes",
)
REQUIRED_COLUMNS = ("reference", "title")
MAX_CSV_BYTES = 5 * 1024 * 1024


def _read_int(text: str, low: int, high: int | None) -> int | None:
    text = text.strip()
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if value >= low and (high is None or value <= high) else None


def _read_rows(file) -> list[dict]:
    raw = file.read(MAX_CSV_BYTES + 1)
    if len(raw) > MAX_CSV_BYTES:
        raise AccountabilityError(_("The file is larger than 5 MB."))
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as error:
        raise AccountabilityError(_("The file is not UTF-8 text.")) from error
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise AccountabilityError(
            _("The first line must name the columns; missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    unknown = [column for column in header if column not in CSV_COLUMNS]
    if unknown:
        raise AccountabilityError(
            _("Unknown columns: %(columns)s. Known columns: %(known)s.")
            % {"columns": ", ".join(unknown), "known": ", ".join(CSV_COLUMNS)}
        )
    reader.fieldnames = header
    try:
        return [{key: (value or "").strip() for key, value in row.items() if key} for row in reader]
    except csv.Error as error:
        raise AccountabilityError(
            _("The file is not a readable CSV file: %(error)s") % {"error": error}
        ) from error


def _check_row(row: dict, line: int, statuses: dict, themes: dict, errors: list[str]) -> dict:
    def error(message):
        errors.append(_("Line %(line)s: %(message)s") % {"line": line, "message": message})

    cleaned: dict = {"reference": row.get("reference", ""), "parent": row.get("parent_reference", "")}
    if not cleaned["reference"]:
        error(_("the reference is empty."))
    if len(cleaned["reference"]) > 60:
        error(_("the reference is longer than 60 characters."))
    cleaned["title"] = row.get("title", "")
    if not cleaned["title"] or len(cleaned["title"]) > 200:
        error(_("the title must have 1 to 200 characters."))
    cleaned["description"] = row.get("description", "")
    status_name = row.get("status", "")
    cleaned["status"] = statuses.get(status_name.casefold()) if status_name else None
    if status_name and cleaned["status"] is None:
        error(_("unknown status “%(status)s”.") % {"status": status_name})
    cleaned["progress"] = None
    if row.get("progress"):
        cleaned["progress"] = _read_int(row["progress"].rstrip("%"), 0, 100)
        if cleaned["progress"] is None:
            error(_("the progress must be a whole number from 0 to 100."))
    cleaned["weight"] = 1
    if row.get("weight"):
        cleaned["weight"] = _read_int(row["weight"], 0, None)
        if cleaned["weight"] is None:
            error(_("the weight must be a whole number, 0 or more."))
    for name in ("start_date", "end_date"):
        cleaned[name] = None
        if row.get(name):
            try:
                cleaned[name] = date.fromisoformat(row[name])
            except ValueError:
                error(_("%(column)s must be a date written YYYY-MM-DD.") % {"column": name})
    if cleaned["start_date"] and cleaned["end_date"] and cleaned["end_date"] < cleaned["start_date"]:
        error(_("the end date is before the start date."))
    cleaned["themes"] = []
    for name in filter(None, (part.strip() for part in row.get("themes", "").split("|"))):
        theme = themes.get(name.casefold())
        if theme is None:
            error(_("unknown theme “%(theme)s”.") % {"theme": name})
        else:
            cleaned["themes"].append(theme)
    return cleaned


@transaction.atomic
def do_import_csv(*, component, user, file) -> dict[str, int]:
    """Create or update results from a CSV file; on any error nothing is changed.

    Results are matched on ``reference``; ``parent_reference`` names another row of the
    file or an existing result; themes are separated by ``|``.
    """
    rows = _read_rows(file)
    if not rows:
        raise AccountabilityError(_("The file has no result line."))
    statuses = {status.name.casefold(): status for status in Status.objects.filter(component=component)}
    themes = {tag.name.casefold(): tag for tag in component.space.organization.tags.all()}
    errors: list[str] = []
    cleaned_rows = [_check_row(row, line, statuses, themes, errors) for line, row in enumerate(rows, start=2)]
    existing = {
        result.reference: result
        for result in Result.objects.filter(component=component).exclude(reference="")
    }
    seen: set[str] = set()
    for line, row in enumerate(cleaned_rows, start=2):
        if row["reference"] in seen:
            errors.append(
                _("Line %(line)s: the reference “%(reference)s” appears twice.")
                % {"line": line, "reference": row["reference"]}
            )
        seen.add(row["reference"])
        if (
            row["parent"]
            and row["parent"] not in seen | set(existing)
            and row["parent"] not in {r["reference"] for r in cleaned_rows}
        ):
            errors.append(
                _("Line %(line)s: unknown parent “%(parent)s”.") % {"line": line, "parent": row["parent"]}
            )
    if not errors:
        errors += _cycles(cleaned_rows, existing)
    if errors:
        raise AccountabilityError(_("Nothing was imported: the file has errors."), errors)
    created = updated = 0
    by_reference = dict(existing)
    for row in cleaned_rows:
        result = by_reference.get(row["reference"]) or Result(component=component, reference=row["reference"])
        created += result.pk is None
        updated += result.pk is not None
        for name in ("title", "description", "status", "progress", "weight", "start_date", "end_date"):
            setattr(result, name, row[name])
        result.save()
        result.themes.set(row["themes"])
        by_reference[row["reference"]] = result
    for row in cleaned_rows:
        result = by_reference[row["reference"]]
        parent = by_reference[row["parent"]] if row["parent"] else None
        if result.parent_id != (parent.pk if parent else None):
            result.parent = parent
            result.save(update_fields=["parent", "updated_at"])
    summary = {"created": created, "updated": updated}
    _log(component, user, "result.import", component, after=summary)
    return summary


def _cycles(rows: list[dict], existing: dict[str, Result]) -> list[str]:
    """The file's parent links, with the existing results', must form a forest."""
    ids = {
        reference: index
        for index, reference in enumerate(sorted(set(existing) | {r["reference"] for r in rows}))
    }
    parents = {
        reference: (result.parent.reference if result.parent_id and result.parent else "")
        for reference, result in existing.items()
    }
    parents.update({row["reference"]: row["parent"] for row in rows})
    nodes = [Node(ids[ref], ids.get(parent) if parent else None, 0) for ref, parent in parents.items()]
    try:
        rolled_up_progress(nodes)
    except RollupError:
        return [_("The parent references form a loop: a result cannot be its own ancestor.")]
    return []
