"""100,000 proposals (scaled) with 1,000,000 supports and 1,000,000 comments, as the code keeps them.

What the real actions leave behind, row for row:

- ``proposals.services.do_create_draft`` + ``do_publish``: the proposal (title folded into
  ``folded_title``, sanitized body), its first ``Version``, the author following it;
- ``do_support``: one ``Support`` per person and proposal, counted (no minimum is set),
  the proposal's ``support_count`` equal to its counted supports;
- ``comments.services.do_add_comment``: comments and replies (three levels at most, a
  reply in the same proposal as its parent and after it), each parent's ``reply_count``
  and the proposal's ``comment_count`` equal to what they hold, and the notification the
  parent's author receives for each reply by someone else (``comment_reply``);
- the search entries the indexing task writes for proposals and comments (``search.py``).

The counts are drawn first (``ProposalPlan``): supports and comments per proposal follow
a long tail (lognormal weights), and one proposal, ``context.big_proposal``, holds exactly
5,000 comments (scaled) for the page benchmark. Counters are then written with the rows,
already equal to them. Rows go in with COPY, the tables' plain indexes dropped during the
load and built again after it (``bulk.without_secondary_indexes``).
"""

from __future__ import annotations

import datetime
import json
import random
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

import numpy as np
from django.utils.translation import gettext

from civitas.comments.models import Comment
from civitas.comments.services import PAGE_SIZE, REPLIES_PAGE_SIZE
from civitas.components.proposals.models import Proposal, Support
from civitas.notifications.models import Notification
from civitas.search.registry import Document
from civitas.search.text import fold
from national import contributions, search
from national.bulk import analyze, copy_rows, reserve_ids, without_secondary_indexes
from national.spaces import theme_of

PROPOSALS = 100_000
SUPPORTS = 1_000_000
COMMENTS = 1_000_000
BIG_THREAD = 5_000
TOP_LEVEL_SHARE = 0.55
NOTIFICATION_FIELDS = ["user", "event_id", "kind", "params", "url", "created_at", "read_at", "emailed_at"]


@dataclass
class ProposalPlan:
    """Per proposal (index = id - first id): its component's index in
    ``context.proposal_components``, author, publication time, supports and comments."""

    component: np.ndarray
    author: np.ndarray
    published_at: list
    supports: np.ndarray
    comments: np.ndarray


def spread(generator: np.random.Generator, total: int, size: int, sigma: float, cap: int) -> np.ndarray:
    """``size`` counts summing to ``total``, none above ``cap``, with a long tail (lognormal weights)."""
    if size == 0:
        return np.zeros(0, dtype=np.int64)
    weights = generator.lognormal(0.0, sigma, size)
    weights /= weights.sum()
    counts = np.minimum(np.floor(weights * total).astype(np.int64), cap)
    while (missing := total - int(counts.sum())) > 0:
        room = counts < cap
        chances = np.where(room, weights, 0.0)
        chances /= chances.sum()
        np.add.at(counts, generator.choice(size, size=missing, p=chances), 1)
        counts = np.minimum(counts, cap)
    return counts


def proposal_content(context, offset: int, component_index: int) -> tuple[str, tuple[str, str], object]:
    """Title, body (HTML, plain text) and theme of the proposal ``offset``: drawn from its own random stream,
    so the comments step finds the same title and theme again without keeping them."""
    rng = random.Random(f"{context.seed}:proposal:{offset}")
    themes = theme_of(component_index)
    title, theme = contributions.title(rng, themes)
    return title, contributions.proposal_body(rng, theme), theme


def _plan(context) -> ProposalPlan:
    count = context.scaled(PROPOSALS)
    generator = np.random.default_rng([context.seed, 21])
    components = len(context.proposal_components)
    weights = generator.lognormal(0.0, 0.5, components)
    component = generator.choice(components, size=count, p=weights / weights.sum())
    author = generator.integers(context.accounts.start, context.accounts.stop, size=count)
    # Published over the proposals phase, ids in the order of publication.
    opened = context.now - datetime.timedelta(days=56)
    span = (context.now - opened).total_seconds() - 3600
    seconds = np.sort(generator.uniform(0, span, size=count))
    published = [opened + datetime.timedelta(seconds=round(float(value))) for value in seconds]
    supports = spread(generator, context.scaled(SUPPORTS), count, 1.3, len(context.accounts))
    big = min(context.scaled(BIG_THREAD), context.scaled(COMMENTS))
    comments = np.zeros(count, dtype=np.int64)
    # The big thread: a proposal published early in the phase (a long conversation).
    big_offset = count // 10
    others = np.delete(np.arange(count), big_offset)
    rest = context.scaled(COMMENTS) - big
    comments[others] = spread(generator, rest, count - 1, 1.1, max(rest, 1))
    comments[big_offset] = big
    context.big_proposal = context.proposals.start + big_offset if context.proposals else None
    return ProposalPlan(component, author, published, supports, comments)


def proposals(context) -> None:
    from django.contrib.contenttypes.models import ContentType

    from civitas.notifications.models import Follow
    from civitas.versions.models import Version

    count = context.scaled(PROPOSALS)
    first = reserve_ids(Proposal, count)
    context.proposals = range(first, first + count)
    plan = context.plans["proposals"] = _plan(context)
    content_type = ContentType.objects.get_for_model(Proposal).pk
    organization_id = context.organization.pk
    rng = context.rng("proposals")
    components, spaces = context.proposal_components, context.spaces
    versions, follows, entries = [], [], []

    def rows():
        for offset in range(count):
            pk = first + offset
            index = int(plan.component[offset])
            component, space = components[index], spaces[index]
            author = int(plan.author[offset])
            title, (body, plain), _theme = proposal_content(context, offset, index)
            published = plan.published_at[offset]
            created = published - datetime.timedelta(seconds=rng.randrange(60, 3600))
            versions.append(
                (organization_id, content_type, pk, 1, author, created, {"title": title, "body": body}, "")
            )
            follows.append((author, content_type, pk, published))
            document = Document(
                organization_id=organization_id,
                space=space,
                title=title,
                text=f"{plain} ",  # plain_text(body), then the address (none)
                url=f"{component.get_absolute_url()}{pk}/",
                author_id=author,
                date=published,
            )
            entries.append(search.entry_row("proposal", pk, document, published))
            yield (
                pk,
                component.pk,
                author,
                title,
                fold(title),
                body,
                "",
                "",
                "",
                Proposal.State.NOT_ANSWERED,
                created,
                published,
                published,
                "",
                "",
                "",
                "",
                "",
                int(plan.supports[offset]),
                int(plan.comments[offset]),
            )

    fields = [
        "id",
        "component",
        "author",
        "title",
        "folded_title",
        "body",
        "image",
        "image_alt",
        "address",
        "state",
        "created_at",
        "updated_at",
        "published_at",
        "answer_state",
        "answer",
        "feasibility_notes",
        "published_answer",
        "published_feasibility_notes",
        "support_count",
        "comment_count",
    ]
    written = 0
    batch = 20_000
    with without_secondary_indexes(Proposal, Version, Follow):
        generated = rows()
        while True:
            chunk = [row for _, row in zip(range(batch), generated, strict=False)]
            if not chunk:
                break
            written += copy_rows(Proposal, fields, chunk)
            copy_rows(
                Version,
                [
                    "organization",
                    "content_type",
                    "object_id",
                    "number",
                    "author",
                    "created_at",
                    "fields",
                    "note",
                ],
                ((*row[:6], _json(row[6]), row[7]) for row in versions),
            )
            copy_rows(Follow, ["user", "content_type", "object_id", "created_at"], follows)
            search.index_rows(entries)
            context.count("versions", len(versions))
            context.count("follows", len(follows))
            context.count("search entries (proposals)", len(entries))
            versions.clear(), follows.clear(), entries.clear()
    context.count("proposals", written)
    analyze(Proposal, Version, Follow)


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def supports(context) -> None:
    """One support per person and proposal, counted, given after the proposal was published."""
    plan = context.plans["proposals"]
    rng = context.rng("supports")
    accounts = context.accounts
    components = context.proposal_components
    now = context.now

    def rows():
        for offset, pk in enumerate(context.proposals):
            wanted = int(plan.supports[offset])
            if not wanted:
                continue
            component = components[int(plan.component[offset])].pk
            published = plan.published_at[offset]
            window = max(1, int((now - published).total_seconds()) - 1)
            for user in rng.sample(accounts, wanted):
                yield (
                    pk,
                    user,
                    component,
                    True,
                    published + datetime.timedelta(seconds=rng.randrange(1, window)),
                )

    with without_secondary_indexes(Support):
        context.count(
            "supports", copy_rows(Support, ["proposal", "user", "component", "counted", "created_at"], rows())
        )
    analyze(Support)


def _comment_rows(context, offset: int, pk_start: int, rng: random.Random):
    """The comments of one proposal, in the order they were posted, reply counts set;
    with each one's search entry."""
    plan = context.plans["proposals"]
    count = int(plan.comments[offset])
    index = int(plan.component[offset])
    component, space = context.proposal_components[index], context.spaces[index]
    proposal = context.proposals.start + offset
    title, _body, theme = proposal_content(context, offset, index)
    themes = theme_of(index)
    published = plan.published_at[offset]
    window = max(count + 1, int((context.now - published).total_seconds()) - 1)
    moments = sorted(rng.sample(range(1, window), count))
    base = f"{component.get_absolute_url()}{proposal}/"
    comment_title = gettext("Comment on “%(title)s”") % {"title": title}
    accounts = context.accounts
    names = context.plans["account names"]
    # [pk, parent, depth, author, body, alignment, created, replies, top_position, chain,
    #  search entry row, notification row or None]
    comments = []
    open_parents = []  # indexes in comments of those that may still be answered (depth < 2)
    tops = 0
    for number in range(count):
        pk = pk_start + number
        created = published + datetime.timedelta(seconds=moments[number])
        author = accounts[rng.randrange(len(accounts))]
        if open_parents and rng.random() > TOP_LEVEL_SHARE:
            parent = comments[rng.choice(open_parents)]
            body, plain, alignment = contributions.comment_body(rng, themes, theme, reply=True)
            position = parent[7]  # replies before this one, all shown (none hidden yet)
            parent[7] += 1
            chain = [*parent[9], parent[0]]
            row = [pk, parent[0], parent[2] + 1, author, body, alignment, created, 0, None, chain]
            replied_to = parent[3] if parent[3] != author else None
            if position >= REPLIES_PAGE_SIZE:
                url = f"/comments/{parent[0]}/replies/#comment-{pk}"
            else:
                top = comments[_index_of(comments, chain[0], pk_start)]
                url = _thread_url(base, top[8], chain, pk)
        else:
            body, plain, alignment = contributions.comment_body(rng, themes, theme)
            row = [pk, None, 0, author, body, alignment, created, 0, tops, []]
            replied_to = None
            url = _thread_url(base, tops, [], pk)
            tops += 1
        comments.append(row)
        if row[2] < 2:
            open_parents.append(number)
        document = Document(
            organization_id=context.organization.pk,
            space=space,
            title=comment_title,
            indexed_title="",
            text=plain,
            url=f"/comments/{pk}/",  # the permalink, as search.builtin indexes a comment
            author_id=author,
            date=created,
        )
        row.append(search.entry_row("comment", pk, document, created))
        row.append(None)
        if replied_to is not None:
            # do_add_comment tells the parent's author (notify_later → delivery.deliver),
            # e-mailed at once (no preference set: "immediately"); some have been read since.
            name = names[author - accounts.start]
            read = created + datetime.timedelta(hours=rng.randrange(1, 72)) if rng.random() < 0.4 else None
            row[11] = (
                replied_to,
                uuid.UUID(int=rng.getrandbits(128), version=4),
                "comment_reply",
                json.dumps({"author": name, "target": title[:200]}, ensure_ascii=False),
                url,
                created,
                read if read is not None and read < context.now else None,
                created,
            )
    return comments


def _index_of(comments, pk: int, pk_start: int) -> int:
    return pk - pk_start


def _thread_url(base: str, top_position: int, chain: list[int], pk: int) -> str:
    """What ``comments.services.comment_url`` gives: the page of the top comment, the thread opened."""
    params = {}
    page = top_position // PAGE_SIZE + 1
    if page > 1:
        params["comments_page"] = page
    if chain:
        params["comments_open"] = ",".join(str(item) for item in chain)
    query = "?" + urlencode(params, safe=",") if params else ""
    return f"{base}{query}#comment-{pk}"


def comments(context) -> None:
    from django.contrib.contenttypes.models import ContentType

    plan = context.plans["proposals"]
    total = int(plan.comments.sum())
    first = reserve_ids(Comment, total)
    content_type = ContentType.objects.get_for_model(Proposal).pk
    organization_id = context.organization.pk
    rng = context.rng("comments")
    entries, notifications = [], []

    def rows():
        pk = first
        for offset, proposal in enumerate(context.proposals):
            if not plan.comments[offset]:
                continue
            component = context.proposal_components[int(plan.component[offset])].pk
            for row in _comment_rows(context, offset, pk, rng):
                comment_pk, parent, depth, author, body, alignment, created, replies = row[:8]
                entries.append(row[10])
                if row[11] is not None:
                    notifications.append(row[11])
                yield (
                    comment_pk,
                    organization_id,
                    component,
                    content_type,
                    proposal,
                    author,
                    parent,
                    depth,
                    body,
                    alignment,
                    0,
                    0,
                    0,
                    replies,
                    created,
                )
            pk += int(plan.comments[offset])

    fields = [
        "id",
        "organization",
        "component",
        "content_type",
        "object_id",
        "author",
        "parent",
        "depth",
        "body",
        "alignment",
        "ups",
        "downs",
        "score",
        "reply_count",
        "created_at",
    ]
    written = 0
    generated = rows()
    with without_secondary_indexes(Comment, Notification):
        while True:
            chunk = [row for _, row in zip(range(20_000), generated, strict=False)]
            if not chunk:
                break
            written += copy_rows(Comment, fields, chunk)
            context.count("search entries (comments)", search.index_rows(entries))
            context.count("notifications", copy_rows(Notification, NOTIFICATION_FIELDS, notifications))
            entries.clear(), notifications.clear()
    context.count("comments", written)
    analyze(Comment, Notification)
