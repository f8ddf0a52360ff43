"""Objects as the API shows them: only fields the pages show to the same reader.

Authors appear by their public name and nickname, as on the pages, and not at all once
their account is deleted or blocked. Rich text is HTML as the pages render it (the
``user_html`` filter): sanitized again, and every link to another site sent through the
warning page (``/link/?url=…``), like a URL someone gave (``user_url``). So a re-user who
shows our text keeps the platform's promise that no participant's link leaves without
the warning; ``civitas/core/tests/test_outbound_links_everywhere.py`` reads every
endpoint to hold us to it.
"""

from django.contrib.contenttypes.models import ContentType

from civitas.core.links import outbound_url, sanitize_user_html


def user_html(value, organization) -> str:
    return sanitize_user_html(value or "", organization)


def user_url(value, organization) -> str:
    """A URL someone gave: itself when internal or allow-listed, else the warning page's."""
    return outbound_url(value or "", organization)


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


def phase(item, active_phase_id, organization) -> dict:
    return {
        "id": item.pk,
        "title": item.title,
        "description": user_html(item.description, organization),
        "start_date": iso(item.start_date),
        "end_date": iso(item.end_date),
        "position": item.position,
        "active": item.pk == active_phase_id,
    }


def space(item, organization) -> dict:
    return {
        "id": item.pk,
        "slug": item.slug,
        "kind": item.kind,
        "title": item.title,
        "subtitle": item.subtitle,
        "description": user_html(item.description, organization),
        "visibility": item.visibility,
        "start_date": iso(item.start_date),
        "end_date": iso(item.end_date),
        "published_at": iso(item.published_at),
        "updated_at": iso(item.updated_at),
        "parent_id": item.parent_id,
        "active_phase_id": item.active_phase_id,
        "phases": [phase(one, item.active_phase_id, organization) for one in item.phases.all()],
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


def official_answer(item, organization) -> dict | None:
    if item.answer_published_at is None:
        return None
    return {
        "text": user_html(item.published_answer, organization),
        "cost": str(item.published_cost) if item.published_cost is not None else None,
        "feasibility_notes": user_html(item.published_feasibility_notes, organization),
        "published_at": iso(item.answer_published_at),
    }


def proposal(item, organization) -> dict:
    custom = item.custom_state
    return {
        "id": item.pk,
        "component_id": item.component_id,
        "space_id": item.component.space_id,
        "title": item.title,
        "body": user_html(item.body, organization),
        "address": item.address,
        "state": item.state,
        "custom_state": {"id": custom.pk, "name": custom.name, "colour": custom.colour} if custom else None,
        "author": author(item.author),
        # Deleted or blocked co-authors are left out, as a null author would be.
        "coauthors": [shown for shown in map(author, item.coauthors) if shown is not None],
        "supports": _shown_support_count(item),
        "comments": item.comment_count,
        "tags": [tag(one) for one in item.tags.all()],
        "official_answer": official_answer(item, organization),
        "published_at": iso(item.published_at),
        "withdrawn_at": iso(item.withdrawn_at),
        "updated_at": iso(item.updated_at),
        "url": item.get_absolute_url(),
    }


def meeting(item, organization, *, sees_online_link: bool) -> dict:
    closed = item.closed_at is not None
    return {
        "id": item.pk,
        "component_id": item.component_id,
        "space_id": item.component.space_id,
        "title": item.title,
        "description": user_html(item.description, organization),
        "format": item.kind,
        "address": item.address if item.is_in_person else "",
        "location_hints": item.location_hints if item.is_in_person else "",
        # Like the page: with registration, the link is for confirmed participants only.
        "online_url": user_url(item.online_url, organization)
        if item.is_online and sees_online_link
        else None,
        "start_time": iso(item.start_time),
        "end_time": iso(item.end_time),
        "agenda": user_html(item.agenda, organization),
        "registrations_enabled": item.registrations_enabled,
        "capacity": item.capacity or None,
        "comments": item.comment_count,
        "report": {
            "closed_at": iso(item.closed_at),
            "minutes": user_html(item.minutes, organization),
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


def debate(item, organization) -> dict:
    return {
        "id": item.pk,
        "component_id": item.component_id,
        "space_id": item.component.space_id,
        "title": item.title,
        "description": user_html(item.description, organization),
        "instructions": user_html(item.instructions, organization),
        "official": item.is_official,
        "author": author(item.author),
        "comments": item.comment_count,
        "published_at": iso(item.published_at),
        "closed_at": iso(item.closed_at),
        "conclusion": user_html(item.conclusion, organization) if item.closed_at else "",
        "updated_at": iso(item.updated_at),
        "url": item.get_absolute_url(),
    }


def comment(item, organization) -> dict:
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
        "body": None if deleted else user_html(item.body, organization),
        "author": None if deleted else author(item.author),
        "up_votes": item.ups,
        "down_votes": item.downs,
        "created_at": iso(item.created_at),
        "edited_at": iso(item.edited_at),
    }
