import hashlib
import io
import json
import zipfile

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command

from civitas.accounts.models import User
from civitas.actionlog.models import ActionLogEntry
from civitas.comments.models import Comment
from civitas.components.accountability.models import Result
from civitas.components.budgets.models import Budget, Project
from civitas.components.debates.models import Debate
from civitas.components.meetings.models import Meeting
from civitas.components.models import Component
from civitas.components.proposals.models import Proposal
from civitas.core.richtext import plain_text
from civitas.decidim_import.models import ImportedRecord
from civitas.decidim_import.reader import space_from_url, translated
from civitas.decidim_import.tests import fixture
from civitas.search.queries import search
from civitas.spaces.models import Space
from civitas.stats.services import action_totals, participant_count
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = pytest.mark.django_db

MODELS = {
    Space: "organization",
    Component: "space__organization",
    Proposal: "component__space__organization",
    Comment: "organization",
    Meeting: "component__space__organization",
    Budget: "component__space__organization",
    Project: "budget__component__space__organization",
    Result: "component__space__organization",
    User: "organization",
    ImportedRecord: "organization",
    ActionLogEntry: "organization",
}


def snapshot(organization) -> dict:
    """Every row of the organization's data, field by field, and a digest of the whole."""
    rows = {}
    for model, path in MODELS.items():
        fields = [field.attname for field in model._meta.concrete_fields]
        rows[model._meta.label] = [
            list(values)
            for values in model.objects.filter(**{path: organization}).order_by("pk").values_list(*fields)
        ]
    digest = hashlib.sha256(json.dumps(rows, sort_keys=True, default=str).encode()).hexdigest()
    return {"counts": {label: len(values) for label, values in rows.items()}, "digest": digest}


def run(path, host):
    out = io.StringIO()
    call_command("import_decidim", path, "--organization", host, stdout=out)
    return out.getvalue()


@pytest.fixture
def export(tmp_path):
    return fixture.build_export(tmp_path / "export.zip")


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_import_creates_spaces_components_and_content(org_a, export):
    report = run(export, org_a.host)

    process = Space.objects.get(organization=org_a, slug="budget-participatif-2024")
    assert process.kind == "process" and process.is_published and process.title == "Budget participatif 2024"
    assert "<script>" not in process.description and "<strong>2024</strong>" in process.description
    assembly = Space.objects.get(organization=org_a, slug="conseil-des-jeunes")  # from the meetings' columns
    assert assembly.kind == "assembly" and assembly.is_published
    kinds = set(Component.objects.filter(space__organization=org_a).values_list("manifest_name", flat=True))
    assert kinds == {"proposals", "meetings", "budgets", "accountability", "debates"}

    states = dict(Proposal.objects.filter(component__space=process).values_list("title", "state"))
    assert states == {
        "Pistes cyclables rue Jaurès": "accepted",
        "Parking souterrain place Carnot": "rejected",
        "Composteurs partagés au parc": "evaluating",
        "Fontaine à eau au marché": "withdrawn",
        "Bancs ombragés avenue Foch": "not_answered",
        "Kiosque à musique rénové": "not_answered",
    }
    accepted = Proposal.objects.get(title="Pistes cyclables rue Jaurès")
    assert accepted.support_count == 42 and accepted.comment_count == 3 and not accepted.supports.exists()
    assert accepted.published_answer == "<p>Retenue pour 2025.</p>" and accepted.answer_state == "accepted"
    assert not accepted.has_unpublished_answer
    assert "onerror" not in accepted.body and "une idée détaillée" in accepted.body
    assert Proposal.objects.get(title="Fontaine à eau au marché").withdrawn_at is not None
    assert Proposal.objects.get(title="Bancs ombragés avenue Foch").published_answer == ""

    placeholder = User.objects.get(organization=org_a, name="Ancien participant de Decidim")
    assert placeholder.name == "Ancien participant de Decidim" and not placeholder.has_usable_password()
    assert placeholder.notification_preference.email_frequency == "never"
    assert set(
        Proposal.objects.filter(component__space__organization=org_a).values_list("author", flat=True)
    ) == {placeholder.pk}

    thread = Comment.objects.filter(organization=org_a).order_by("created_at", "pk")
    bodies = {plain_text(comment.body).strip(): comment for comment in thread}
    top = bodies["Excellente idée pour les écoliers."]
    assert top.commentable == accepted and top.depth == 0 and top.alignment == "for"
    reply = bodies["D'accord, surtout le matin."]
    assert reply.parent == top and reply.depth == 1
    deep = bodies["Et le soir aussi."]
    assert deep.parent == reply and deep.depth == 2
    deeper = bodies["Une réponse très profonde."]  # Decidim depth 3 hangs from the deepest allowed reply
    assert deeper.parent == reply and deeper.depth == 2 and deeper.alignment == "against"
    assert top.reply_count == 1 and reply.reply_count == 2
    assert "Réponse à un commentaire disparu." not in bodies

    meetings = {meeting.title: meeting for meeting in Meeting.objects.filter(component__space=assembly)}
    public = meetings["Réunion publique du conseil des jeunes"]
    assert public.kind == "in_person" and public.address.startswith("12 rue de la Mairie")
    assert public.location_hints == "Salle du conseil, 1er étage" and public.attendee_count == 35
    assert public.start_time.isoformat() == "2024-04-10T16:00:00+00:00" and public.closed_at is not None
    online = meetings["Atelier en ligne"]
    assert online.kind == "online" and online.online_url == "https://visio.example.org/atelier"
    assert meetings["Séance sur un format inconnu"].kind == "in_person"

    budget = Budget.objects.get(component__space=process)
    assert budget.total == 100000
    amounts = dict(Project.objects.filter(budget=budget).values_list("title", "amount"))
    assert amounts == {"Aire de jeux du square Monge": 85000, "Potager partagé": 15000}
    selected = {
        record.details["selected"]
        for record in ImportedRecord.objects.filter(organization=org_a, source_kind="project")
    }
    assert selected == {True, False}

    parent = Result.objects.get(title="Rénover les aires de jeux")
    child = Result.objects.get(title="Square Monge")
    assert parent.component.space == process and child.parent == parent
    assert (
        parent.progress == 40
        and parent.status.name == "En cours"
        and child.status.name == "Travaux commencés"
    )

    debate = Debate.objects.get(component__space=assembly)
    assert (
        debate.title == "Faut-il piétonniser le centre ?" and debate.is_closed and debate.comment_count == 12
    )
    assert "samedi" in debate.conclusion and debate.author == placeholder

    # What could not be mapped is listed, and the rest went in all the same.
    assert "proposal 106: unknown state “en_cours_de_realisation”" in report
    assert "meeting 303: unknown kind “telepathie”" in report
    assert "comment 905: parent comment 999 missing" in report
    assert "result 503: parent result 777 missing" in report
    assert f"{fixture.HOST}-open-data-surveys.csv" in report
    assert ActionLogEntry.objects.filter(organization=org_a, action="decidim.import").count() == 1


def test_no_personal_column_is_kept(org_a, export):
    resident = UserFactory(organization=org_a, nickname="ancien-decidim", name="Paul Habitant")
    run(export, org_a.host)
    assert not Proposal.objects.filter(author=resident).exists()  # a namesake never becomes the author
    everything = json.dumps(
        [
            list(model.objects.filter(**{path: org_a}).values())
            for model, path in MODELS.items()
            if model is not ActionLogEntry
        ],
        default=str,
    )
    assert fixture.AUTHOR_NAME not in everything
    assert set(User.objects.filter(organization=org_a).values_list("name", flat=True)) == {
        "Paul Habitant",
        "Ancien participant de Decidim",
    }


def test_second_run_changes_nothing_and_a_changed_row_is_updated(org_a, export, tmp_path):
    run(export, org_a.host)
    first = snapshot(org_a)
    report = run(export, org_a.host)
    assert snapshot(org_a) == first
    for kind, count in {"space": 2, "component": 5, "proposal": 6, "comment": 5, "account": 1}.items():
        assert f"{kind:<10} created     0  updated     0  unchanged {count:>5}" in report
    assert "created     1" not in report

    changed = [dict(row) for row in fixture.PROPOSALS]
    changed[4] = {**changed[4], "title/fr": "Bancs ombragés avenue Foch et rue Hoche", "supports": "9"}
    report = run(fixture.build_export(tmp_path / "changed.zip", proposals=changed), org_a.host)
    assert "proposal   created     0  updated     1  unchanged     5" in report
    bench = Proposal.objects.get(title="Bancs ombragés avenue Foch et rue Hoche")
    assert bench.support_count == 9
    assert Proposal.objects.filter(component__space__organization=org_a).count() == 6


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a zip at all", "not a ZIP file"),
        ("empty", "no Decidim open-data CSV"),
        ("no-id", "has no “id” column"),
        ("two-hosts", "several Decidim hosts"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(org_a, tmp_path, content, message):
    path = tmp_path / "bad.zip"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        with zipfile.ZipFile(path, "w") as archive:
            if content == "empty":
                archive.writestr("notes.txt", "rien")
            elif content == "no-id":
                archive.writestr(f"{fixture.HOST}-open-data-proposals.csv", "titre;corps\nA;B\n")
            else:
                archive.writestr("a.example-open-data-proposals.csv", "id;title/fr\n1;A\n")
                archive.writestr("b.example-open-data-meetings.csv", "id;title/fr\n1;A\n")
    before = snapshot(org_a)
    with pytest.raises(CommandError, match=message):
        run(str(path), org_a.host)
    assert snapshot(org_a) == before


def test_unknown_organization_is_refused(export, org_a):
    with pytest.raises(CommandError, match="No organization is served on “nowhere.test”"):
        run(export, "nowhere.test")
    assert not Space.objects.exists() and not ImportedRecord.objects.exists()


def test_an_error_midway_rolls_everything_back(org_a, export, monkeypatch):
    from civitas.decidim_import import importer

    def broken(self):
        raise RuntimeError("database went away")

    monkeypatch.setattr(importer.Importer, "_results", broken)
    before = snapshot(org_a)
    with pytest.raises(RuntimeError):
        run(export, org_a.host)
    assert snapshot(org_a) == before


def test_import_into_one_organization_never_touches_another(org_a, org_b, export):
    admin_b = UserFactory(organization=org_b, is_organization_admin=True)
    space_b = published_space(org_b, admin_b, "Budget participatif 2024")
    published_component(space_b, admin_b, "proposals", "Idées")
    before_b = snapshot(org_b)
    run(export, org_a.host)
    assert snapshot(org_b) == before_b

    # The same export imported into B makes B's own copies; A's stay as they were.
    before_a = snapshot(org_a)
    run(export, org_b.host)
    assert snapshot(org_a) == before_a
    assert Proposal.objects.filter(component__space__organization=org_b).count() == 6
    assert Space.objects.get(
        organization=org_b, title="Budget participatif 2024", slug="budget-participatif-2024-2"
    )


def test_imported_proposals_show_on_their_page_in_search_and_in_statistics(org_a, client_a, export, indexed):
    with indexed():
        run(export, org_a.host)
    proposal = Proposal.objects.get(title="Pistes cyclables rue Jaurès")
    page = client_a.get(proposal.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Pistes cyclables rue Jaurès" in html and "Ancien participant de Decidim" in html
    assert "Retenue pour 2025." in html
    assert '<p class="support-count"><strong>42</strong>' in html  # Decidim's count, shown, closed
    assert proposal.component.active_phase_settings()["supports"] == "blocked"
    hits = search(user=AnonymousUser(), organization=org_a, query="cyclables").hits
    assert [hit.document.title for hit in hits] == ["Pistes cyclables rue Jaurès"]
    meeting_hits = search(user=AnonymousUser(), organization=org_a, query="skateparks").hits
    assert [hit.document.title for hit in meeting_hits] == ["Réunion publique du conseil des jeunes"]

    totals = {total.key: total.count for total in action_totals(org_a)}
    assert totals["proposal"] == 6 and totals["comment"] == 5
    assert participant_count(org_a) == 1  # the one former participant, as Decidim's authors are not known


def test_columns_of_later_decidim_versions_are_read(org_a, tmp_path):
    """0.28 presents titles as plain text, counts supports as votes and dates withdrawals."""
    later = [
        {
            **{
                key: value
                for key, value in fixture.PROPOSALS[0].items()
                if key not in ("title/fr", "body/fr")
            },
            "title": "Titre sans langue",
            "body": "<p>Corps sans langue.</p>",
            "supports": "",
            "votes": "12",
        },
        {
            **fixture.PROPOSALS[4],
            "state": "",
            "withdrawn_at": "2024-04-01T10:00:00.000+02:00",
        },
    ]
    path = tmp_path / "later.zip"
    with zipfile.ZipFile(path, "w") as archive:
        # Installations that set Decidim.default_csv_col_sep to "," export with commas.
        archive.writestr(f"{fixture.HOST}-open-data-proposals.csv", fixture._csv(later, delimiter=","))
    run(str(path), org_a.host)
    plain = Proposal.objects.get(title="Titre sans langue")
    assert plain.support_count == 12 and "Corps sans langue." in plain.body
    withdrawn = Proposal.objects.get(title="Bancs ombragés avenue Foch")
    assert (
        withdrawn.state == "withdrawn" and withdrawn.withdrawn_at.isoformat() == "2024-04-01T08:00:00+00:00"
    )


def test_reader_helpers():
    row = {"title/en": "Hello", "title/machine_translations/de": "Hallo", "title/fr": ""}
    assert translated(row, "title") == "Hello"
    assert translated({"body": "<p>Texte</p>"}, "body") == "<p>Texte</p>"
    assert translated({"title/machine_translations/fr": "Bonjour"}, "title") == "Bonjour"
    assert space_from_url("https://x.fr/processes/bp-2024/f/12/proposals/3") == ("process", "bp-2024", "12")
    assert space_from_url("https://x.fr/assemblies/jeunes") == ("assembly", "jeunes", "")
    assert space_from_url("https://x.fr/pages/terms") is None
    assert apps.is_installed("civitas.decidim_import")


def test_what_was_deleted_here_since_is_imported_again(org_a, export):
    run(export, org_a.host)
    Component.objects.filter(space__organization=org_a, manifest_name="proposals").delete()
    report = run(export, org_a.host)
    assert "component  created     1  updated     0  unchanged     4" in report
    assert "proposal   created     6" in report
    assert Proposal.objects.filter(component__space__organization=org_a).count() == 6
    assert Comment.objects.filter(organization=org_a).count() == 5


def test_a_component_not_installed_here_is_reported(org_a, export, monkeypatch):
    installed = apps.is_installed
    monkeypatch.setattr(
        apps, "is_installed", lambda name: name != "civitas.components.debates" and installed(name)
    )
    report = run(export, org_a.host)
    assert "debates: component type “debates” is not installed here, rows not imported: 1" in report
    assert not Component.objects.filter(manifest_name="debates").exists()
    assert Proposal.objects.filter(component__space__organization=org_a).count() == 6
