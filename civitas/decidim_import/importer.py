"""Turn a Decidim open-data export into Civitas spaces, components and their content.

Transactions: the ZIP is read and checked completely before anything is written
(:func:`civitas.decidim_import.reader.read_export`), then the whole import runs in one
``transaction.atomic()`` block. A row that cannot be mapped (an unknown state, a reply
whose parent is missing…) is reported and skipped, because one odd row must not cost
the town its other thousand proposals; anything else that goes wrong (a database error,
an unreadable value the code did not foresee) rolls everything back, so that an
import is either fully there or not there at all, never half a space. Search indexing
and the other side effects are queued by the usual signals and run after the commit.

Idempotence: every imported row is remembered in :class:`ImportedRecord` under
(organization, Decidim host, kind, Decidim id) with a digest of the values read. On the
next run a row with the same digest is skipped without a write; a changed row updates
the object it became; nothing is ever created twice.

Personal data: only the columns listed in each ``_values`` function are read. Author
names and ids, user groups, endorsers' names and any column not listed are never read
nor stored; every author is the organization's one placeholder account.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from civitas.decidim_import.models import ImportedRecord
from civitas.decidim_import.reader import Export, space_from_url, translated

PLACEHOLDER_NICKNAME = "ancien-decidim"
PLACEHOLDER_NAME = "Ancien participant de Decidim"
PLACEHOLDER_EMAIL = "ancien-participant-decidim@example.invalid"

# Decidim component manifest → Civitas manifest and the name the new component gets.
COMPONENTS = {
    "proposals": ("proposals", "Propositions"),
    "meetings": ("meetings", "Rencontres"),
    "projects": ("budgets", "Budgets"),
    "results": ("accountability", "Suivi des résultats"),
    "debates": ("debates", "Débats"),
}
PHASE_SETTINGS = {"proposals": {"supports": "blocked"}}
PROPOSAL_STATES = {
    "": "not_answered",
    "not_answered": "not_answered",
    "evaluating": "evaluating",
    "accepted": "accepted",
    "rejected": "rejected",
    "withdrawn": "withdrawn",
}
ANSWERED_STATES = {"evaluating", "accepted", "rejected"}
MEETING_KINDS = {"": "in_person", "in_person": "in_person", "online": "online", "hybrid": "hybrid"}
# Decidim stored the meeting type as an integer index in some versions.
MEETING_KINDS.update({"0": "in_person", "1": "online", "2": "hybrid"})
COMMENTABLES = {
    "Decidim::Proposals::Proposal": "proposal",
    "Decidim::Meetings::Meeting": "meeting",
    "Decidim::Debates::Debate": "debate",
    "Decidim::Budgets::Project": "project",
    "Decidim::Accountability::Result": "result",
}
TRUE = {"true", "1", "yes", "t"}


def _checksum(values: dict) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


def _datetime(value: str) -> datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    if value.endswith(" UTC"):
        value = value[:-4]
    parsed = parse_datetime(value.replace(" +", "+").replace(" -", "-"))
    if parsed is None:
        day = parse_date(value[:10])
        parsed = datetime(day.year, day.month, day.day) if day else None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=UTC)  # Decidim writes naive times in UTC (to_s(:db))
    return parsed


def _date(value: str) -> date | None:
    parsed = _datetime(value)
    return parsed.date() if parsed else None


def _int(value: str) -> int | None:
    try:
        number = float((value or "").strip())
    except ValueError:
        return None
    return int(round(number)) if math.isfinite(number) else None


class Importer:
    def __init__(self, organization, export: Export, *, locale: str = "fr"):
        self.organization = organization
        self.export = export
        self.locale = locale
        self.counts: dict[str, Counter] = defaultdict(Counter)
        self.unmapped: list[str] = []
        self.seen: set[tuple[str, str]] = set()  # rows already counted in this run
        self.spaces: dict[str, object] = {}

    # --- bookkeeping -------------------------------------------------------------

    def _problem(self, message: str) -> None:
        self.unmapped.append(message)

    def _text(self, row, key) -> str:
        return translated(row, key, self.locale)

    def _load_records(self) -> None:
        self.records = {
            (record.source_kind, record.source_id): record
            for record in ImportedRecord.objects.filter(
                organization=self.organization, source_host=self.export.host
            )
        }

    def _mapped(self, kind: str, source_id: str, model):
        record = self.records.get((kind, str(source_id)))
        if record is None:
            return None
        return model._default_manager.filter(pk=record.object_id).first()

    def _installed(self, entity: str) -> bool:
        """Whether the component app for this file is installed; its rows are reported if not."""
        from django.apps import apps

        rows = self.export.rows(entity)
        manifest_name = COMPONENTS[entity][0]
        if not rows or apps.is_installed(f"civitas.components.{manifest_name}"):
            return bool(rows)
        missing = f"component type “{manifest_name}” is not installed here"
        self._problem(f"{entity}: {missing}, rows not imported: {len(rows)}")
        return False

    def _reused(self, kind: str, source_id: str, model):
        """A space or component met again in a resource row: counted once as unchanged."""
        found = self._mapped(kind, source_id, model)
        if found is not None and (kind, source_id) not in self.seen:
            self.seen.add((kind, source_id))
            self.counts[kind]["skipped"] += 1
        return found

    def _sync(self, kind: str, source_id: str, model, values: dict, apply, *, details=None):
        """Create or update the object a Decidim row became; skip it when the row is unchanged."""
        source_id = str(source_id)
        self.seen.add((kind, source_id))
        checksum = _checksum(values)
        record = self.records.get((kind, source_id))
        obj = model._default_manager.filter(pk=record.object_id).first() if record else None
        if obj is not None and record.checksum == checksum:
            self.counts[kind]["skipped"] += 1
            return obj
        creating = obj is None
        obj = obj or model()
        apply(obj, values, creating)
        obj.save()
        if record is None:
            record = ImportedRecord(
                organization=self.organization,
                source_host=self.export.host,
                source_kind=kind,
                source_id=source_id,
                content_type=ContentType.objects.get_for_model(model),
            )
            self.records[(kind, source_id)] = record
        record.object_id = obj.pk
        record.checksum = checksum
        record.details = details or {}
        record.save()
        self.counts[kind]["created" if creating else "updated"] += 1
        return obj

    # --- run -----------------------------------------------------------------------

    def run(self) -> None:
        with transaction.atomic():
            self._load_records()
            self.author = self._placeholder_author()
            self._index_spaces()
            self._spaces_from_files()
            self._proposals()
            self._meetings()
            self._projects()
            self._results()
            self._debates()
            self._comments()
            self._log()

    def _placeholder_author(self):
        """The organization's one "former participant" account, whatever Decidim site content came from.

        It is found through its import record, never by its nickname: a resident who picked
        that nickname must not become the author of a town's history.
        """
        from civitas.accounts.models import User
        from civitas.notifications.models import EmailFrequency, NotificationPreference

        record = ImportedRecord.objects.filter(
            organization=self.organization, source_host="", source_kind="account", source_id="placeholder"
        ).first()
        user = (
            User.objects.filter(organization=self.organization, pk=record.object_id).first()
            if record
            else None
        )
        if user is not None:
            self.counts["account"]["skipped"] += 1
            return user
        accounts = User.objects.filter(organization=self.organization)
        nickname, email, n = PLACEHOLDER_NICKNAME, PLACEHOLDER_EMAIL, 1
        while (
            accounts.filter(nickname__iexact=nickname).exists()
            or accounts.filter(email__iexact=email).exists()
        ):
            n += 1
            nickname, email = f"{PLACEHOLDER_NICKNAME}-{n}", PLACEHOLDER_EMAIL.replace("@", f"-{n}@")
        user = User(organization=self.organization, email=email, nickname=nickname, name=PLACEHOLDER_NAME)
        user.set_unusable_password()
        user.save()
        # Nobody reads this address: notifications about "its" proposals are never mailed.
        NotificationPreference.objects.create(user=user, email_frequency=EmailFrequency.NEVER)
        ImportedRecord.objects.update_or_create(
            organization=self.organization,
            source_host="",
            source_kind="account",
            source_id="placeholder",
            defaults={
                "content_type": ContentType.objects.get_for_model(User),
                "object_id": user.pk,
                "checksum": _checksum({"placeholder": True}),
            },
        )
        self.counts["account"]["created"] += 1
        return user

    # --- spaces and components -------------------------------------------------------

    def _index_spaces(self) -> None:
        """Learn each Decidim space's kind and slug from every file that names it."""
        self.space_kinds: dict[str, set[str]] = defaultdict(set)
        self.space_ids_by_slug: dict[tuple[str, str], str] = {}
        self.space_slugs: dict[tuple[str, str], str] = {}
        for entity, kind in (("participatory_processes", "process"), ("assemblies", "assembly")):
            for row in self.export.rows(entity):
                self.space_kinds[row["id"]].add(kind)
                if row.get("slug"):
                    self.space_ids_by_slug[(kind, row["slug"])] = row["id"]
                    self.space_slugs[(kind, row["id"])] = row["slug"]
        for rows in self.export.files.values():
            for row in rows:
                space_id = row.get("participatory_space/id", "")
                found = space_from_url(row.get("participatory_space/url", ""))
                if space_id and found:
                    kind, slug, _component = found
                    self.space_kinds[space_id].add(kind)
                    self.space_ids_by_slug.setdefault((kind, slug), space_id)
                    self.space_slugs.setdefault((kind, space_id), slug)

    def _unique_slug(self, wanted: str, space) -> str:
        from django.utils.text import slugify

        from civitas.spaces.models import Space

        base = slugify(wanted)[:70] or "decidim"
        slug, n = base, 1
        taken = Space.objects.filter(organization=self.organization).exclude(pk=space.pk)
        while taken.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug

    def _space_values(self, row: dict, kind: str) -> dict:
        return {
            "kind": kind,
            "slug": row.get("slug", ""),
            "title": self._text(row, "title"),
            "subtitle": self._text(row, "subtitle"),
            "description": self._text(row, "description") or self._text(row, "short_description"),
            "start_date": _date(row.get("start_date", "")),
            "end_date": _date(row.get("end_date", "")),
            "purpose": self._text(row, "purpose_of_action"),
            "composition": self._text(row, "composition"),
        }

    def _save_space(self, kind: str, source_id: str, values: dict):
        from civitas.spaces.models import Space

        def apply(space, values, creating):
            space.organization = self.organization
            space.kind = values["kind"]
            space.title = (values["title"] or values["slug"].replace("-", " ").capitalize())[:200]
            space.subtitle = values["subtitle"][:300]
            space.description = values["description"]
            space.purpose = values["purpose"]
            space.composition = values["composition"]
            space.start_date = values["start_date"]
            space.end_date = values["end_date"]
            if space.end_date and space.start_date and space.end_date < space.start_date:
                space.end_date = space.start_date
            if creating:
                space.slug = self._unique_slug(values["slug"] or f"decidim-{kind}-{source_id}", space)
                space.visibility = Space.Visibility.PUBLIC
                space.published_at = timezone.now()  # Decidim exports only public spaces

        return self._sync("space", f"{kind}:{source_id}", Space, values, apply)

    def _spaces_from_files(self) -> None:
        for entity, kind in (("participatory_processes", "process"), ("assemblies", "assembly")):
            for row in self.export.rows(entity):
                self._save_space(kind, row["id"], self._space_values(row, kind))

    def _space_of(self, row: dict):
        """The space of a resource row, created from its id and URL if no space file had it."""
        from civitas.spaces.models import Space

        space_id = row.get("participatory_space/id", "")
        found = space_from_url(row.get("participatory_space/url", "") or row.get("url", ""))
        if not space_id and found:
            space_id = self.space_ids_by_slug.get((found[0], found[1]), "")
        if not space_id:
            return None
        kinds = self.space_kinds.get(space_id, set())
        if found:
            kind = found[0]
        elif len(kinds) == 1:
            kind = next(iter(kinds))
        else:
            return None
        key = f"{kind}:{space_id}"
        if key in self.spaces:
            return self.spaces[key]
        space = self._reused("space", key, Space)
        if space is not None:
            self.spaces[key] = space
            return space
        slug = self.space_slugs.get((kind, space_id), "")
        return self._save_space(
            kind,
            space_id,
            {**self._space_values({}, kind), "slug": slug or f"decidim-{kind}-{space_id}"},
        )

    def _component_of(self, row: dict, entity: str):
        from civitas.components.manifest import registry
        from civitas.components.models import Component
        from civitas.components.services import do_add_component

        component_id = row.get("component/id", "") or (space_from_url(row.get("url", "")) or ("", "", ""))[2]
        if not component_id:
            self._problem(f"{entity} {row.get('id')}: no component id")
            return None
        existing = self._reused("component", component_id, Component)
        if existing is not None:
            self._space_of(row)  # counts the space as met, once
            return existing
        manifest_name, name = COMPONENTS[entity]
        manifest = registry.get(manifest_name)
        if manifest is None:
            self._problem(f"{entity} {row.get('id')}: component type “{manifest_name}” is not installed here")
            return None
        space = self._space_of(row)
        if space is None:
            self._problem(f"{entity} {row.get('id')}: its space cannot be found in the export")
            return None
        component = do_add_component(space=space, user=None, manifest=manifest, name=name)
        component.published_at = timezone.now()
        # Imported spaces have no phases: the "default" settings apply. Supports are shown
        # (Decidim's counts) but closed, as the consultation they belonged to is over.
        component.phase_settings = {"default": dict(PHASE_SETTINGS.get(manifest_name, {}))}
        component.save(update_fields=["published_at", "phase_settings"])
        # update_or_create: the component this Decidim one became may have been deleted here since.
        record, _created = ImportedRecord.objects.update_or_create(
            organization=self.organization,
            source_host=self.export.host,
            source_kind="component",
            source_id=component_id,
            defaults={
                "content_type": ContentType.objects.get_for_model(Component),
                "object_id": component.pk,
                "checksum": _checksum({"manifest": manifest_name, "space": space.pk}),
            },
        )
        self.records[("component", component_id)] = record
        self.seen.add(("component", component_id))
        self.counts["component"]["created"] += 1
        return component

    # --- resources -------------------------------------------------------------------

    def _proposals(self) -> None:
        if not self._installed("proposals"):
            return
        from civitas.components.proposals.models import Proposal

        for row in self.export.rows("proposals"):
            component = self._component_of(row, "proposals")
            if component is None:
                continue
            raw_state = row.get("state", "").strip().lower()
            withdrawn = row.get("withdrawn", "").strip().lower() in TRUE or bool(row.get("withdrawn_at", ""))
            state = "withdrawn" if withdrawn else PROPOSAL_STATES.get(raw_state)
            if state is None:
                self._problem(f"proposal {row['id']}: unknown state “{raw_state}”, imported as not answered")
                state = "not_answered"
            published_at = _datetime(row.get("published_at", ""))
            answer = self._text(row, "answer")
            values = {
                "component": component.pk,
                "title": self._text(row, "title"),
                "body": self._text(row, "body"),
                "state": state,
                "answer": answer if state in ANSWERED_STATES else "",
                "answered_at": _datetime(row.get("answered_at", "") or row.get("state_published_at", "")),
                "published_at": published_at,
                "withdrawn_at": _datetime(row.get("withdrawn_at", "")),
                "address": row.get("address", ""),
                "supports": _int(row.get("supports", "") or row.get("votes", "")) or 0,
                "comments": _int(row.get("comments", "")) or 0,
            }

            def apply(proposal, values, creating, component=component, row=row):
                proposal.component = component
                proposal.author = self.author
                proposal.title = (values["title"] or f"Proposition {row['id']}")[:150]
                proposal.body = values["body"] or proposal.title
                proposal.state = values["state"]
                proposal.published_at = values["published_at"] or proposal.published_at or timezone.now()
                if values["state"] == "withdrawn":
                    proposal.withdrawn_at = values["withdrawn_at"] or proposal.published_at
                proposal.address = values["address"][:300]
                proposal.support_count = values["supports"]
                proposal.comment_count = values["comments"]
                if values["state"] in ANSWERED_STATES:
                    answered = values["answered_at"] or proposal.published_at
                    proposal.answer_state = values["state"]
                    proposal.answer = proposal.published_answer = values["answer"]
                    proposal.answered_at = proposal.answer_published_at = answered

            self._sync("proposal", row["id"], Proposal, values, apply)

    def _meetings(self) -> None:
        if not self._installed("meetings"):
            return
        from civitas.components.meetings.models import Meeting

        for row in self.export.rows("meetings"):
            component = self._component_of(row, "meetings")
            if component is None:
                continue
            start, end = _datetime(row.get("start_time", "")), _datetime(row.get("end_time", ""))
            if start is None:
                self._problem(f"meeting {row['id']}: no start time")
                continue
            raw_kind = row.get("type_of_meeting", "").strip().lower()
            kind = MEETING_KINDS.get(raw_kind)
            if kind is None:
                self._problem(f"meeting {row['id']}: unknown kind “{raw_kind}”, imported as in person")
                kind = "in_person"
            online_url = row.get("online_meeting_url", "").strip()
            values = {
                "component": component.pk,
                "title": self._text(row, "title"),
                "description": self._text(row, "description"),
                "kind": kind,
                "address": row.get("address", ""),
                "location": self._text(row, "location"),
                "online_url": online_url if online_url.startswith(("https://", "http://")) else "",
                "start": start,
                "end": max(end or start, start),
                "published": row.get("published", "true").strip().lower() in TRUE,
                "closed_at": _datetime(row.get("closed_at", "")),
                "attendees": _int(row.get("attendees", "") or row.get("attendees_count", "")),
                "organizations": row.get("organizations", "") or row.get("attending_organizations", ""),
                "comments": _int(row.get("comments", "")) or 0,
            }

            def apply(meeting, values, creating, component=component, row=row):
                meeting.component = component
                meeting.title = (values["title"] or f"Rencontre {row['id']}")[:200]
                meeting.description = values["description"]
                meeting.kind = values["kind"]
                meeting.address = values["address"][:300]
                meeting.location_hints = values["location"][:300]
                meeting.online_url = values["online_url"][:500]
                meeting.start_time, meeting.end_time = values["start"], values["end"]
                if not values["published"]:
                    meeting.published_at = None
                elif meeting.published_at is None:
                    meeting.published_at = timezone.now()
                meeting.closed_at = values["closed_at"]
                meeting.attendee_count = (
                    values["attendees"] if values["closed_at"] else meeting.attendee_count
                )
                meeting.attending_organizations = values["organizations"]
                meeting.comment_count = values["comments"]

            self._sync("meeting", row["id"], Meeting, values, apply)

    @staticmethod
    def _apply_budget(budget, values, creating, *, component, budget_id) -> None:
        budget.component = component
        budget.title = budget.title or f"Budget {budget_id}"
        if not budget.seal:  # a budget voted on here keeps the amount its seal covers
            budget.total = max(values["total"], 1)

    def _projects(self) -> None:
        if not self._installed("projects"):
            return
        from civitas.components.budgets.models import Budget, Project

        rows = self.export.rows("projects")
        totals: Counter = Counter()
        for row in rows:
            totals[row.get("budget/id", "")] += max(_int(row.get("budget_amount", "")) or 0, 0)
        budgets = {}
        for row in rows:
            component = self._component_of(row, "projects")
            if component is None:
                continue
            amount = _int(row.get("budget_amount", "")) or 0
            if amount < 1:
                self._problem(f"project {row['id']}: no amount, not imported")
                continue
            budget_id = row.get("budget/id", "") or "0"
            if budget_id not in budgets:
                budgets[budget_id] = self._sync(
                    "budget",
                    budget_id,
                    Budget,
                    {"component": component.pk, "total": totals[row.get("budget/id", "")]},
                    partial(self._apply_budget, component=component, budget_id=budget_id),
                )
            budget = budgets[budget_id]
            selected = row.get("selected", "").strip().lower() in TRUE or bool(row.get("selected_at", ""))
            values = {
                "budget": budget.pk,
                "title": self._text(row, "title"),
                "description": self._text(row, "description"),
                "amount": amount,
                "address": row.get("address", ""),
                "comments": _int(row.get("comments", "")) or 0,
                "selected": selected,
            }

            def apply(project, values, creating, budget=budget, row=row):
                project.budget = budget
                project.title = (values["title"] or f"Projet {row['id']}")[:150]
                project.description = values["description"]
                project.amount = values["amount"]
                project.address = values["address"][:300]
                project.comment_count = values["comments"]

            self._sync("project", row["id"], Project, values, apply, details={"selected": selected})

    def _results(self) -> None:
        if not self._installed("results"):
            return
        from civitas.components.accountability.models import Result, Status

        pending = list(self.export.rows("results"))
        while pending:
            waiting = []
            for row in pending:
                parent_id = row.get("parent/id", "")
                parent = self._mapped("result", parent_id, Result) if parent_id else None
                if parent_id and parent is None:
                    waiting.append(row)
                    continue
                self._result(row, parent, Result, Status)
            if len(waiting) == len(pending):
                for row in waiting:
                    self._problem(
                        f"result {row['id']}: parent result {row['parent/id']} missing, not imported"
                    )
                break
            pending = waiting

    def _result(self, row, parent, Result, Status) -> None:
        component = self._component_of(row, "results")
        if component is None:
            return
        progress = _int(row.get("progress", ""))
        values = {
            "component": component.pk,
            "parent": parent.pk if parent else None,
            "title": self._text(row, "title"),
            "description": self._text(row, "description"),
            "status": self._text(row, "status/name") or row.get("status/key", ""),
            "progress": None if progress is None else min(max(progress, 0), 100),
            "start_date": _date(row.get("start_date", "")),
            "end_date": _date(row.get("end_date", "")),
            "weight": _int(row.get("weight", "")),
            "comments": _int(row.get("comments", "")) or 0,
        }

        def apply(result, values, creating):
            result.component = component
            result.parent = parent
            result.title = (values["title"] or f"Résultat {row['id']}")[:200]
            result.description = values["description"]
            result.status = (
                Status.objects.get_or_create(component=component, name=values["status"][:80])[0]
                if values["status"]
                else None
            )
            result.progress = values["progress"]
            result.start_date, result.end_date = values["start_date"], values["end_date"]
            if values["weight"] is not None and values["weight"] >= 0:
                result.weight = values["weight"]
            result.comment_count = values["comments"]

        self._sync("result", row["id"], Result, values, apply)

    def _debates(self) -> None:
        if not self._installed("debates"):
            return
        from civitas.components.debates.models import Debate

        for row in self.export.rows("debates"):
            component = self._component_of(row, "debates")
            if component is None:
                continue
            values = {
                "component": component.pk,
                "title": self._text(row, "title"),
                "description": self._text(row, "description"),
                "instructions": self._text(row, "instructions"),
                "conclusion": self._text(row, "conclusions"),
                "closed_at": _datetime(row.get("closed_at", "")),
                "comments": _int(row.get("comments", "")) or 0,
            }

            def apply(debate, values, creating, component=component, row=row):
                debate.component = component
                debate.author = self.author
                debate.title = (values["title"] or f"Débat {row['id']}")[:150]
                debate.description = values["description"] or debate.title
                debate.instructions = values["instructions"]
                debate.conclusion = values["conclusion"]
                debate.closed_at = values["closed_at"]
                if debate.published_at is None:
                    debate.published_at = timezone.now()
                debate.comment_count = values["comments"]

            self._sync("debate", row["id"], Debate, values, apply)

    # --- comments ----------------------------------------------------------------------

    def _commentable(self, kind: str, source_id: str):
        from django.apps import apps

        model = {
            "proposal": "proposals.Proposal",
            "meeting": "meetings.Meeting",
            "debate": "debates.Debate",
            "project": "budgets.Project",
            "result": "accountability.Result",
        }[kind]
        try:
            return self._mapped(kind, source_id, apps.get_model(model))
        except LookupError:
            return None

    def _comments(self) -> None:
        from civitas.comments.counters import recount_replies
        from civitas.comments.models import MAX_DEPTH, Comment

        rows = [
            row
            for entity in self.export.files
            if entity.endswith("_comments")
            for row in self.export.rows(entity)
        ]
        rows.sort(key=lambda row: (_int(row.get("depth", "")) or 0, _int(row["id"]) or 0))
        parents_touched: set[int] = set()
        alignments = {"1": "for", "-1": "against", "0": "neutral", "": "neutral"}
        for row in rows:
            commentable_type = row.get("commentable_type", "")
            commentable_id = row.get("commentable_id", "")
            parent = None
            if commentable_type == "Decidim::Comments::Comment":
                parent = self._mapped("comment", commentable_id, Comment)
                if parent is None:
                    self._problem(
                        f"comment {row['id']}: parent comment {commentable_id} missing, not imported"
                    )
                    continue
                while parent.depth >= MAX_DEPTH:  # deeper Decidim threads hang from the deepest allowed reply
                    parent = parent.parent
                resource = parent.commentable
            elif commentable_type in COMMENTABLES:
                resource = self._commentable(COMMENTABLES[commentable_type], commentable_id)
                if resource is None:
                    kind = COMMENTABLES[commentable_type]
                    self._problem(f"comment {row['id']}: {kind} {commentable_id} missing, not imported")
                    continue
            else:
                self._problem(f"comment {row['id']}: comments on “{commentable_type}” are not imported")
                continue
            body = self._text(row, "body")
            if not body:
                self._problem(f"comment {row['id']}: empty, not imported")
                continue
            values = {
                "resource": (resource._meta.label, resource.pk),
                "parent": parent.pk if parent else None,
                "body": body,
                "alignment": alignments.get(row.get("alignment", "").strip(), "neutral"),
                "created_at": _datetime(row.get("created_at", "")),
            }

            def apply(comment, values, creating, resource=resource, parent=parent):
                comment.organization = self.organization
                comment.component = (
                    resource.component if hasattr(resource, "component") else resource.budget.component
                )
                comment.content_type = ContentType.objects.get_for_model(resource)
                comment.object_id = resource.pk
                comment.author = self.author
                comment.parent = parent
                comment.depth = parent.depth + 1 if parent else 0
                comment.body = values["body"]
                comment.alignment = values["alignment"]

            comment = self._sync("comment", row["id"], Comment, values, apply)
            if values["created_at"] and comment.created_at != values["created_at"]:
                Comment.objects.filter(pk=comment.pk).update(created_at=values["created_at"])
            if parent is not None:
                parents_touched.add(parent.pk)
        if parents_touched:
            recount_replies(parents_touched)

    # --- report ------------------------------------------------------------------------

    def _log(self) -> None:
        from civitas.actionlog.services import log_action

        created = sum(counter["created"] for counter in self.counts.values())
        updated = sum(counter["updated"] for counter in self.counts.values())
        if not created and not updated:
            return
        log_action(
            organization=self.organization,
            user=None,
            action="decidim.import",
            target=self.organization,
            after={
                "source_host": self.export.host,
                "created": created,
                "updated": updated,
                "unmapped": len(self.unmapped),
            },
        )
