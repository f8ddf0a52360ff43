"""Objects as the API shows them: only fields the pages show to the same reader.

Authors appear by their public name and nickname, as on the pages, and not at all once
their account is deleted or blocked. Rich text is the stored, sanitized HTML.
"""

from django.contrib.contenttypes.models import ContentType


def iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def author(user) -> dict | None:
    if user is None or user.deleted_at is not None or not user.is_active:
        return None
    return {"name": user.name, "nickname": user.nickname}


def tag(item) -> dict:
    return {"id": item.pk, "name": item.name}


def organization(item) -> dict:
    return {
        "name": item.name,
        "host": item.host,
        "default_locale": item.default_locale,
        "available_locales": list(item.available_locales),
        "primary_colour": item.primary_colour,
        "secondary_colour": item.secondary_colour,
    }


def phase(item, active_phase_id) -> dict:
    return {
        "id": item.pk,
        "title": item.title,
        "description": item.description,
        "start_date": iso(item.start_date),
        "end_date": iso(item.end_date),
        "position": item.position,
        "active": item.pk == active_phase_id,
    }


def space(item) -> dict:
    return {
        "id": item.pk,
        "slug": item.slug,
        "kind": item.kind,
        "title": item.title,
        "subtitle": item.subtitle,
        "description": item.description,
        "visibility": item.visibility,
        "start_date": iso(item.start_date),
        "end_date": iso(item.end_date),
        "published_at": iso(item.published_at),
        "updated_at": iso(item.updated_at),
        "parent_id": item.parent_id,
        "active_phase_id": item.active_phase_id,
        "phases": [phase(one, item.active_phase_id) for one in item.phases.all()],
        "tags": [tag(one) for one in item.tags.all()],
        "url": f"/spaces/{item.slug}/",
    }


def component(item) -> dict:
    return {
        "id": item.pk,
        "space_id": item.space_id,
        "type": item.manifest_name,
        "name": item.name,
        "position": item.position,
        "published_at": iso(item.published_at),
        "updated_at": iso(item.updated_at),
        "url": item.get_absolute_url(),
    }


def _shown_support_count(item):
    # The page shows the count when supports are on or closed; "hidden" and "off" show none.
    mode = item.component.active_phase_settings()["supports"]
    return item.support_count if mode in ("enabled", "blocked") else None


def official_answer(item) -> dict | None:
    if item.answer_published_at is None:
        return None
    return {
        "text": item.published_answer,
        "cost": str(item.published_cost) if item.published_cost is not None else None,
        "feasibility_notes": item.published_feasibility_notes,
        "published_at": iso(item.answer_published_at),
    }


def proposal(item) -> dict:
    custom = item.custom_state
    return {
        "id": item.pk,
        "component_id": item.component_id,
        "space_id": item.component.space_id,
        "title": item.title,
        "body": item.body,
        "address": item.address,
        "state": item.state,
        "custom_state": {"id": custom.pk, "name": custom.name, "colour": custom.colour} if custom else None,
        "author": author(item.author),
        "supports": _shown_support_count(item),
        "comments": item.comment_count,
        "tags": [tag(one) for one in item.tags.all()],
        "official_answer": official_answer(item),
        "published_at": iso(item.published_at),
        "withdrawn_at": iso(item.withdrawn_at),
        "updated_at": iso(item.updated_at),
        "url": item.get_absolute_url(),
    }


def meeting(item, *, sees_online_link: bool) -> dict:
    closed = item.closed_at is not None
    return {
        "id": item.pk,
        "component_id": item.component_id,
        "space_id": item.component.space_id,
        "title": item.title,
        "description": item.description,
        "format": item.kind,
        "address": item.address if item.is_in_person else "",
        "location_hints": item.location_hints if item.is_in_person else "",
        # Like the page: with registration, the link is for confirmed participants only.
        "online_url": item.online_url if item.is_online and sees_online_link else None,
        "start_time": iso(item.start_time),
        "end_time": iso(item.end_time),
        "agenda": item.agenda,
        "registrations_enabled": item.registrations_enabled,
        "capacity": item.capacity or None,
        "comments": item.comment_count,
        "report": {
            "closed_at": iso(item.closed_at),
            "minutes": item.minutes,
            "attendee_count": item.attendee_count,
            "attending_organizations": item.attending_organizations,
            "proposal_ids": sorted(
                p.pk for p in item.proposals.all() if p.hidden_at is None and p.published_at
            ),
        }
        if closed
        else None,
        "updated_at": iso(item.updated_at),
        "url": item.get_absolute_url(),
    }


def debate(item) -> dict:
    return {
        "id": item.pk,
        "component_id": item.component_id,
        "space_id": item.component.space_id,
        "title": item.title,
        "description": item.description,
        "instructions": item.instructions,
        "official": item.is_official,
        "author": author(item.author),
        "comments": item.comment_count,
        "published_at": iso(item.published_at),
        "closed_at": iso(item.closed_at),
        "conclusion": item.conclusion if item.closed_at else "",
        "updated_at": iso(item.updated_at),
        "url": item.get_absolute_url(),
    }


def comment(item) -> dict:
    deleted = item.deleted_at is not None
    return {
        "id": item.pk,
        "resource_type": ContentType.objects.get_for_id(item.content_type_id).model,
        "resource_id": item.object_id,
        "component_id": item.component_id,
        "parent_id": item.parent_id,
        "depth": item.depth,
        "alignment": item.alignment,
        # A deleted comment keeps its place in the thread, without its text or author.
        "deleted": deleted,
        "body": None if deleted else item.body,
        "author": None if deleted else author(item.author),
        "up_votes": item.ups,
        "down_votes": item.downs,
        "created_at": iso(item.created_at),
        "edited_at": iso(item.edited_at),
    }
