"""Themes of the written answers: computed in the queue, edited by admins, reproducible by anyone."""

import json

import pytest

from civitas.actionlog.models import ActionLogEntry
from civitas.components.surveys import services, themes
from civitas.components.surveys.models import ThemeAnalysis, ThemeEdit
from civitas.components.surveys.tests.helpers import closed_survey_with_texts
from civitas.testing.factories import UserFactory
from civitas.themes import __main__ as cli

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(survey, admin_a):
    question = closed_survey_with_texts(survey, admin_a, 60)
    return survey, question


def _admin(component) -> str:
    return f"/admin/spaces/{component.space_id}/components/{component.pk}/surveys/themes/"


def _run(survey, admin, seed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        themes.do_start_analysis(survey=survey, user=admin, seed=seed)
    return ThemeAnalysis.objects.get(survey=survey)


def _download(client, survey, tmp_path) -> tuple:
    base = survey.component.get_absolute_url()
    answers = tmp_path / "answers.jsonl"
    answers.write_bytes(b"".join(client.get(f"{base}answers.jsonl").streaming_content))
    published = client.get(f"{base}themes.json")
    assert published.status_code == 200
    (tmp_path / "themes.json").write_bytes(published.content)
    return answers, json.loads(published.content)


def test_the_queue_computes_what_the_command_line_recomputes_from_the_published_file(
    closed, admin_a, client_a, tmp_path, django_capture_on_commit_callbacks
):
    survey, question = closed
    analysis = _run(survey, admin_a, 4242, django_capture_on_commit_callbacks)
    assert analysis.state == ThemeAnalysis.State.DONE and analysis.progress == 1
    result = analysis.result["questions"][question.key]
    assert result["answered"] == 60 and result["empty"] + result["in_themes"] == 60
    assert ActionLogEntry.objects.filter(action="survey.themes_run").count() == 1
    services.do_set_results_published(survey=survey, user=admin_a, published=True)
    answers, published = _download(client_a, survey, tmp_path)
    assert published["seed"] == 4242 and published["parameters"]["method_version"] == 1
    out = tmp_path / "out.json"
    assert (
        cli.main(
            [str(answers), "--seed", "4242", "--edits", str(tmp_path / "themes.json"), "--json", str(out)]
        )
        == 0
    )
    assert json.loads(out.read_text()) == published
    page = client_a.get(f"{survey.component.get_absolute_url()}results/").content.decode()
    assert "Thèmes des réponses écrites" in page and "--seed 4242" in page


def test_admins_name_merge_and_split_and_anyone_replays_the_edit_log(
    closed, admin_a, client_a, tmp_path, django_capture_on_commit_callbacks
):
    survey, question = closed
    _run(survey, admin_a, 7, django_capture_on_commit_callbacks)
    client_a.force_login(admin_a)
    base = _admin(survey.component)
    assert client_a.get(base).status_code == 200
    key = question.key
    before = {
        t["id"]: t["count"]
        for t in ThemeAnalysis.objects.get(survey=survey).result["questions"][key]["themes"]
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            client_a.post(f"{base}name/", {"question": key, "theme": "3", "name": "Déchets"}).status_code
            == 302
        )
        assert (
            client_a.post(
                f"{base}merge/", {"question": key, "theme": "1", "other": "2", "confirm_act": "1"}
            ).status_code
            == 302
        )
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            client_a.post(f"{base}split/", {"question": key, "theme": "1+2", "confirm_act": "1"}).status_code
            == 302
        )
    after = {t["id"]: t for t in ThemeAnalysis.objects.get(survey=survey).result["questions"][key]["themes"]}
    assert {"1+2.1", "1+2.2"} <= set(after) and not {"1", "2", "1+2"} & set(after)
    assert after["1+2.1"]["count"] + after["1+2.2"]["count"] == before["1"] + before["2"]
    assert list(ThemeEdit.objects.values_list("kind", flat=True)) == ["name", "merge", "split"]
    assert ActionLogEntry.objects.filter(action__startswith="survey.theme_").count() == 3
    services.do_set_results_published(survey=survey, user=admin_a, published=True)
    answers, published = _download(client_a, survey, tmp_path)
    out = tmp_path / "out.json"
    assert (
        cli.main([str(answers), "--seed", "7", "--edits", str(tmp_path / "themes.json"), "--json", str(out)])
        == 0
    )
    assert json.loads(out.read_text()) == published
    named = {t["id"]: t["name"] for t in published["questions"][key]["themes"]}
    assert named["3"] == "Déchets"
    assert "Déchets" in client_a.get(f"{survey.component.get_absolute_url()}results/").content.decode()


def test_an_unknown_theme_or_a_running_analysis_changes_nothing(
    closed, admin_a, django_capture_on_commit_callbacks
):
    survey, question = closed
    with pytest.raises(services.SurveyError):
        themes.do_name_theme(survey=survey, user=admin_a, question_key=question.key, theme="1", name="x")
    _run(survey, admin_a, 1, django_capture_on_commit_callbacks)
    with pytest.raises(services.SurveyError):
        themes.do_merge_themes(survey=survey, user=admin_a, question_key=question.key, theme="1", other="99")
    with pytest.raises(services.SurveyError):
        themes.do_split_theme(survey=survey, user=admin_a, question_key="q0", theme="1")
    assert not ThemeEdit.objects.exists()


def test_the_analysis_waits_for_the_closing(survey, admin_a):
    with pytest.raises(services.SurveyError):
        themes.do_start_analysis(survey=survey, user=admin_a, seed=1)
    assert not ThemeAnalysis.objects.exists()


def test_participants_and_another_organizations_admin_are_refused(
    closed, admin_a, org_a, org_b, client_a, client_b, django_capture_on_commit_callbacks
):
    survey, question = closed
    _run(survey, admin_a, 3, django_capture_on_commit_callbacks)
    base = _admin(survey.component)
    posts = {
        "run/": {"seed": "9"},
        "name/": {"question": question.key, "theme": "1", "name": "Pris"},
        "merge/": {"question": question.key, "theme": "1", "other": "2", "confirm_act": "1"},
        "split/": {"question": question.key, "theme": "1", "confirm_act": "1"},
    }
    client_a.force_login(UserFactory(organization=org_a))
    assert client_a.get(base).status_code == 403
    admin_b = UserFactory(organization=org_b, is_organization_admin=True)
    client_b.force_login(admin_b)
    assert client_b.get(base).status_code == 404
    for path, data in posts.items():
        assert client_a.post(base + path, data).status_code == 403
        assert client_b.post(base + path, data).status_code == 404
    analysis = ThemeAnalysis.objects.get(survey=survey)
    assert analysis.seed == 3 and not ThemeEdit.objects.exists()
    # The published themes wait for the results' publication.
    assert client_b.get(f"{survey.component.get_absolute_url()}themes.json").status_code == 404


def test_a_quote_hidden_after_the_analysis_leaves_the_pages(
    closed, admin_a, django_capture_on_commit_callbacks
):
    survey, question = closed
    analysis = _run(survey, admin_a, 5, django_capture_on_commit_callbacks)
    quote = analysis.result["questions"][question.key]["themes"][0]["quotes"][0]
    services.do_set_text_hidden(
        survey=survey, user=admin_a, answer_id=quote["id"], question_key=question.key, hidden=True
    )
    shown = themes.displayed_themes(survey)["questions"][0]
    assert quote["id"] not in [q["id"] for t in shown["themes"] for q in t["quotes"]]
    assert shown["hidden_since"] == 1


@pytest.mark.parametrize(
    "path, data",
    [("merge/", {"theme": "1", "other": "2"}), ("split/", {"theme": "1"})],
    ids=["merge", "split"],
)
def test_a_merge_or_split_waits_for_the_box_ticked(
    closed, admin_a, client_a, django_capture_on_commit_callbacks, path, data
):
    """Both stay in the published edit log for good: without the box, a page asks and nothing changes."""
    survey, question = closed
    _run(survey, admin_a, 5, django_capture_on_commit_callbacks)
    client_a.force_login(admin_a)
    fields = {"question": question.key, **data}
    with django_capture_on_commit_callbacks(execute=True):
        asked = client_a.post(_admin(survey.component) + path, fields)
    page = asked.content.decode()
    assert asked.status_code == 200 and 'name="confirm_act"' in page
    assert "Je comprends que c’est irréversible." in page
    for key, value in fields.items():
        assert f'name="{key}" value="{value}"' in page
    assert not ThemeEdit.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = client_a.post(_admin(survey.component) + path, {**fields, "confirm_act": "1"})
    assert done.status_code == 302 and ThemeEdit.objects.count() == 1
