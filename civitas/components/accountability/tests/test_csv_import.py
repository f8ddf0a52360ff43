"""CSV import of results: created or updated by reference; any error and nothing changes."""

import io

import pytest

from civitas.actionlog.models import ActionLogEntry
from civitas.components.accountability import services
from civitas.components.accountability.models import Result
from civitas.components.accountability.progress import progress_of_component
from civitas.spaces.models import Tag

pytestmark = pytest.mark.django_db

GOOD = """reference,parent_reference,title,status,progress,weight,start_date,end_date,themes
P1,,Programme vert,,,1,2027-01-01,2028-12-31,Nature
P1.1,P1,Parc,Livré,,3,,,Nature|Sport
P1.2,P1,Aire de jeux,Étudié,,1,,,
"""


def _import(component, admin, text):
    return services.do_import_csv(component=component, user=admin, file=io.BytesIO(text.encode()))


def test_import_creates_a_tree_then_updates_by_reference(accountability_component, statuses, admin_a, org_a):
    Tag.objects.create(organization=org_a, name="Nature")
    Tag.objects.create(organization=org_a, name="Sport")
    assert _import(accountability_component, admin_a, GOOD) == {"created": 3, "updated": 0}
    park = Result.objects.get(reference="P1.1")
    assert park.parent.reference == "P1" and park.status == statuses["Livré"] and park.weight == 3
    assert sorted(park.themes.values_list("name", flat=True)) == ["Nature", "Sport"]
    assert progress_of_component(accountability_component).percent(park.parent_id) == 55
    again = GOOD.replace("Aire de jeux,Étudié,,1", "Aire de jeux,Étudié,80,1")
    assert _import(accountability_component, admin_a, again) == {"created": 0, "updated": 3}
    assert Result.objects.get(reference="P1.2").progress == 80
    assert Result.objects.count() == 3
    assert ActionLogEntry.objects.filter(action="result.import").count() == 2


def test_semicolon_separated_files_are_read_too(accountability_component, statuses, admin_a):
    text = "reference;title;progress\nA;Éclairage;40\n"
    assert _import(accountability_component, admin_a, text) == {"created": 1, "updated": 0}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("reference,title,progress\nA,Éclairage,20\nB,Rues,140\n", "Line 3: the progress"),
        ("reference,title,status\nA,Éclairage,Inconnu\n", "unknown status"),
        ("reference,title,parent_reference\nA,Éclairage,ZZ\n", "unknown parent"),
        ("reference,title\nA,Un\nA,Deux\n", "appears twice"),
        ("reference,title,parent_reference\nA,Un,B\nB,Deux,A\n", "loop"),
        ("reference,title,end_date\nA,Un,31/12/2027\n", "YYYY-MM-DD"),
        ("reference,title,themes\nA,Un,Inexistant\n", "unknown theme"),
        ("reference,title\n,Sans référence\n", "reference is empty"),
    ],
)
def test_a_bad_line_imports_nothing_and_says_which_line(
    accountability_component, statuses, admin_a, text, message
):
    ok_line = "reference,title\nKEEP,Déjà là\n"
    _import(accountability_component, admin_a, ok_line)
    with pytest.raises(services.AccountabilityError) as error:
        _import(accountability_component, admin_a, text)
    assert any(message in line for line in error.value.errors), error.value.errors
    assert list(Result.objects.values_list("reference", flat=True)) == ["KEEP"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"title\nSans colonne\n", "missing: reference"),
        (b"reference,title,colour\nA,B,red\n", "Unknown columns: colour"),
        (b"\xff\xfe\x00bad", "not UTF-8"),
        (b"reference,title\n", "no result line"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message(accountability_component, admin_a, content, message):
    with pytest.raises(services.AccountabilityError, match=message):
        services.do_import_csv(component=accountability_component, user=admin_a, file=io.BytesIO(content))
    assert not Result.objects.exists()


def test_import_through_the_back_office(client_a, admin_a, accountability_component, statuses):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client_a.force_login(admin_a)
    component = accountability_component
    url = f"/admin/spaces/{component.space.pk}/components/{component.pk}/accountability/import/csv/"
    bad = SimpleUploadedFile("r.csv", b"reference,title,progress\nA,Un,abc\n", content_type="text/csv")
    page = client_a.post(url, {"file": bad}, follow=True)
    assert "Line 2" in page.text or "Ligne 2" in page.text
    assert not Result.objects.exists()
    good = SimpleUploadedFile("r.csv", b"reference,title,progress\nA,Un,30\n", content_type="text/csv")
    client_a.post(url, {"file": good})
    assert Result.objects.get(reference="A").progress == 30
