"""Trustees are named with their e-mail addresses and get their links by e-mail only.

The admin who names them must never learn a link: with one they could register a key of
their own under a trustee's name and count alone. Nor may a link that still works sit in
the database, where the task queue lives, or in any queued task.
"""

from __future__ import annotations

import re
import smtplib

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from huey.contrib.djhuey import HUEY

from civitas.actionlog.models import ActionLogEntry
from civitas.ballotbox import invitations
from civitas.components.surveys.models import Survey
from civitas.testing.ballots import register_through_links, trustee_links_in_outbox
from civitas.testing.factories import OrganizationFactory, UserFactory
from civitas.testing.participation import published_component, published_space
from civitas.testing.security import all_routes, build_world_b, fill_route, route_values

pytestmark = pytest.mark.django_db
LINK = re.compile(r"https?://[^\s\"'<>]+/ballots/trustee/([^/\s\"'<>]+)/")


@pytest.mark.parametrize(
    ("line", "name", "email"),
    [
        ("Maître Durand <durand@huissiers.example>", "Maître Durand", "durand@huissiers.example"),
        ("Claire Martin, claire@example.org", "Claire Martin", "claire@example.org"),
        ("  Claire   Martin ;  claire@example.org ", "Claire Martin", "claire@example.org"),
        (
            "Claire Martin (opposition) <claire@example.org>",
            "Claire Martin (opposition)",
            "claire@example.org",
        ),
        ('"Durand, Maître" <durand@huissiers.example>', "Durand, Maître", "durand@huissiers.example"),
        ("claire@example.org Claire Martin", "Claire Martin", "claire@example.org"),
        ("Claire Martin (claire@example.org)", "Claire Martin", "claire@example.org"),
        (
            "Maître Durand, huissière – durand@huissiers.example",
            "Maître Durand, huissière",
            "durand@huissiers.example",
        ),
    ],
)
def test_the_usual_ways_of_writing_a_name_and_address_are_read(line, name, email):
    assert invitations.parse_trustees(f"\n{line}\n\n") == [invitations.NamedTrustee(name, email)]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "Maître Durand <durand@huissiers.example>\nClaire Martin",
            "Ligne 2 (« Claire Martin ») : aucune adresse",
        ),
        (
            "Claire Martin <claire@example>",
            "Ligne 1 (« Claire Martin <claire@example> ») : « claire@example »",
        ),
        ("<claire@example.org>", "Ligne 1 (« <claire@example.org> ») : le nom du dépositaire manque"),
        ("Claire claire@example.org durand@huissiers.example", "une adresse par ligne"),
        (
            "A <claire@example.org>\n\nB <Claire@example.org>",
            "Ligne 3 (« B <Claire@example.org> ») : cette adresse",
        ),
    ],
)
def test_a_line_without_one_valid_address_is_named_and_nothing_changes(text, problem):
    org = OrganizationFactory()
    admin = UserFactory(organization=org, is_organization_admin=True)
    component = published_component(published_space(org, admin, "Budget"), admin, "surveys", "Consultation")
    survey, _created = Survey.objects.get_or_create(component=component)
    client = Client(HTTP_HOST=org.host)
    client.force_login(admin)
    before = Survey.objects.filter(pk=survey.pk).values("key_mode", "trustees", "public_key").get()
    page = client.post(
        f"/admin/spaces/{component.space_id}/components/{component.pk}/surveys/keys/",
        {"action": "trustees", "names": text},
        follow=True,
    ).content.decode()
    assert problem in page.replace("&laquo;", "«").replace("&raquo;", "»").replace("&lt;", "<").replace(
        "&gt;", ">"
    ).replace("\u202f", " ").replace("\xa0", " ").replace("&#x27;", "'")
    assert Survey.objects.filter(pk=survey.pk).values("key_mode", "trustees", "public_key").get() == before
    assert mail.outbox == [] and not ActionLogEntry.objects.filter(action="ballot.key_mode").exists()


def _dump_every_table() -> str:
    """The whole database as text, sessions and the shared cache included: what a copy holds."""
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows.append(repr(cursor.fetchall()))
    return "\n".join(rows)


def test_no_trustee_link_reaches_the_admin_the_queue_or_the_database(
    org_b, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        world = build_world_b(org_b)
    admin = Client(HTTP_HOST=org_b.host)
    admin.force_login(world["admin"])
    queued = []
    enqueue = HUEY.enqueue

    def recording_enqueue(task):
        queued.append(HUEY.serialize_task(task))  # the bytes the queue would store
        return enqueue(task)

    monkeypatch.setattr(HUEY, "enqueue", recording_enqueue)
    # Every vote kind's counting-key form: a new sealed kind is covered once it has one.
    key_routes = [route for route in all_routes() if route.startswith("admin/") and route.endswith("keys/")]
    assert len(key_routes) >= 3
    answers, addresses = [], []
    mail.outbox.clear()
    for number, route in enumerate(key_routes):
        path, _names_b = fill_route(route, route_values(world, route))
        pair = [f"durand{number}@huissiers.example", f"claire{number}@example.org"]
        names = f"Maître Durand <{pair[0]}>\nClaire Martin (opposition), {pair[1]}"
        with django_capture_on_commit_callbacks(execute=True):
            answer = admin.post(path, {"action": "trustees", "names": names})
        assert answer.status_code == 200, (route, answer.status_code)
        assert all(address in answer.text for address in pair)  # the admin sees where links went
        answers.append(answer.text)
        addresses += pair
    links = trustee_links_in_outbox(addresses)
    tokens = [LINK.search(link).group(1) for link in links]
    assert len(set(tokens)) == len(addresses)
    for message in mail.outbox:  # each trustee alone receives their link, nobody in copy
        assert len(message.recipients()) == 1 and len(LINK.findall(message.body)) == 1
    secrets = [*tokens, *(token.rsplit(".", 1)[1] for token in tokens)]
    leaks = []
    # Not in the admin's answers, not in any queued task or its payload.
    leaks += [f"answer: {secret}" for secret in secrets if any(secret in answer for answer in answers)]
    leaks += [f"queue: {secret}" for secret in secrets if any(secret.encode() in task for task in queued)]
    # Neither the links nor the addresses in a copy of the database.
    database = _dump_every_table()
    leaks += [f"database: {item}" for item in secrets + addresses if item in database]
    # No back-office page shows a link.
    seen = 0
    for route in all_routes():
        if not route.startswith("admin/"):
            continue
        path, _names_b = fill_route(route, route_values(world, route))
        response = admin.get(path)
        body = b"".join(response) if response.streaming else response.content
        seen += response.status_code == 200
        leaks += [f"GET {path}: {secret}" for secret in secrets if secret.encode() in body]
        leaks += [f"GET {path}: a trustee link"] if b"/ballots/trustee/" in body else []
    assert not leaks, "\n".join(leaks)
    assert seen >= 40
    entries = ActionLogEntry.objects.filter(action="ballot.key_mode")
    assert entries.count() == len(key_routes)
    assert all(
        entry.after["trustees"] == ["Maître Durand", "Claire Martin (opposition)"] for entry in entries
    )
    for route in key_routes:  # the control: the vote's admin page, crawled above, names the trustees
        page_route = route.removesuffix("keys/")
        path, _names_b = fill_route(page_route, route_values(world, page_route))
        assert "Claire Martin (opposition)" in admin.get(path).text, path
    # The e-mailed links work, for every kind of vote: each trustee registers a key.
    assert len(register_through_links(links, org_b.host)) == len(addresses)


def test_the_e_mail_tells_the_trustee_what_to_do_in_the_organizations_language(client_a, admin_a, org_a):
    space = published_space(org_a, admin_a, "Conseil")
    component = published_component(space, admin_a, "surveys", "Bancs & fontaines")
    client_a.force_login(admin_a)
    keys_url = f"/admin/spaces/{component.space_id}/components/{component.pk}/surveys/keys/"
    client_a.post(keys_url, {"action": "trustees", "names": "Maître Durand <durand@huissiers.example>"})
    [message] = mail.outbox
    html = message.alternatives[0][0]
    assert message.to == ["durand@huissiers.example"] and message.reply_to == ["contact@commune.test"]
    assert "dépositaire" in message.subject and "« Bancs & fontaines »" in message.body
    assert message.subject.endswith(": Bancs & fontaines")  # plain text: nothing escaped
    for text in (message.body, html):
        assert "Bonjour Maître Durand" in text and "Commune A" in text and "Conseil" in text
        assert "ligne publique" in text and component.get_absolute_url() in text
        assert len(set(LINK.findall(text))) == 1
    # English for an organization whose language is English, however the admin reads the site.
    org_a.default_locale = "en"
    org_a.save()
    mail.outbox.clear()
    client_a.post(
        keys_url,
        {"action": "trustees", "names": "Claire Martin, claire@example.org\nB b@example.org", "replace": "1"},
    )
    claire = mail.outbox[0]
    assert "trustee of the counting key" in claire.subject
    assert "Hello Claire Martin" in claire.body and "You are trustee 1 of 2" in claire.body
    assert "The other trustees: B." in claire.body and "compare the start of your public line" in claire.body


def test_a_failed_sending_is_said_and_its_link_shown_nowhere(client_a, admin_a, org_a, monkeypatch):
    component = published_component(published_space(org_a, admin_a, "Conseil"), admin_a, "surveys", "Avis")
    client_a.force_login(admin_a)
    send = invitations.EmailMultiAlternatives.send

    def refusing_send(message, *args, **kwargs):
        if message.to == ["claire@example.org"]:
            raise smtplib.SMTPRecipientsRefused({"claire@example.org": (550, b"no such user")})
        return send(message, *args, **kwargs)

    monkeypatch.setattr(invitations.EmailMultiAlternatives, "send", refusing_send)
    answer = client_a.post(
        f"/admin/spaces/{component.space_id}/components/{component.pk}/surveys/keys/",
        {
            "action": "trustees",
            "names": "Maître Durand <durand@huissiers.example>\nClaire Martin, claire@example.org",
        },
    )
    page = answer.content.decode()
    assert answer.status_code == 200 and "/ballots/trustee/" not in page
    assert "Lien envoyé à durand@huissiers.example" in page
    assert "L’envoi à claire@example.org a échoué" in page
    assert "nommez à nouveau les dépositaires" in page
    # The trustee who did get their link can still use it.
    [link] = trustee_links_in_outbox(["durand@huissiers.example"])
    register_through_links([link], org_a.host)
