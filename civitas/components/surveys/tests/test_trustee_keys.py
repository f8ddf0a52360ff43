"""Trustee keys through the back-office and the command line: the platform alone cannot count."""

import io
import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from civitas.actionlog.models import ActionLogEntry
from civitas.ballotbox import crypto, keys
from civitas.ballotbox.models import KeyMode
from civitas.ballotbox.services import iter_published
from civitas.components.surveys import services
from civitas.components.surveys.models import Answer, Survey
from civitas.components.surveys.tests.helpers import answer_many
from civitas.recount import recount
from civitas.sealing.published import read_published
from civitas.testing.ballots import register_through_links, trustee_links_in_outbox

pytestmark = pytest.mark.django_db
CONFIRMED = {"confirm_closing": "1"}


def _admin(component) -> str:
    return f"/admin/spaces/{component.space.pk}/components/{component.pk}/surveys/"


TRUSTEES = "Maître Durand <durand@huissiers.example>\nClaire Martin (opposition), claire@example.org"


def _addresses(names: str) -> list[str]:
    return re.findall(r"[\w.+-]+@[\w.-]+", names)


def _hand_keys(client, component, names=TRUSTEES):
    """The admin names the trustees; each trustee, on the link e-mailed to them, makes a
    key pair (as their browser or the command-line tool would) and registers its public
    line. Returns the trustees' key files and the admin's page."""
    mail.outbox.clear()
    response = client.post(f"{_admin(component)}keys/", {"action": "trustees", "names": names})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    page = response.content.decode()
    links = trustee_links_in_outbox(_addresses(names))
    assert len(links) == len(names.splitlines()) and "/ballots/trustee/" not in page
    texts = register_through_links(links, component.space.organization.host)
    return texts, page


def test_trustees_get_their_keys_once_and_every_key_is_needed(
    client_a, admin_a, survey_component, survey, questionnaire
):
    client_a.force_login(admin_a)
    texts, page = _hand_keys(client_a, survey_component)
    assert len(texts) == 2 and "claire@example.org" in page and 'id="trustee-invitation-2"' in page
    survey.refresh_from_db()
    assert survey.key_mode == KeyMode.TRUSTEES and not survey.key_salt
    # The database keeps each trustee's public key, never a private one.
    share_lines = [text.split("key: ")[1].strip() for text in texts]
    stored = str(Survey.objects.filter(pk=survey.pk).values().get())
    assert not any(line in stored or line.replace("-", "") in stored for line in share_lines)
    public = client_a.get(survey_component.get_absolute_url()).content.decode()
    assert "Maître Durand" in public and "Claire Martin (opposition)" in public
    people = answer_many(survey, questionnaire, 4)
    # Once ballots are cast, who holds the key can no longer change.
    refused = client_a.post(f"{_admin(survey_component)}keys/", {"action": "platform"}, follow=True)
    assert "ne peut plus changer" in refused.content.decode()
    # The platform alone (its secret and the database) cannot open anything.
    with pytest.raises(keys.TrusteeKeysRefused):
        keys.opener(Survey.objects.get(pk=survey.pk))
    close = f"{_admin(survey_component)}close/"
    missing = client_a.post(close, {"trustee-key-1": texts[0], **CONFIRMED}, follow=True).content.decode()
    assert "Dépositaire 2 (Claire Martin (opposition)) : la clé est vide" in missing
    truncated = {"trustee-key-1": texts[0], "trustee-key-2": texts[1][:-12], **CONFIRMED}
    assert "tronquée" in client_a.post(close, truncated, follow=True).content.decode()
    swapped = {"trustee-key-1": texts[1], "trustee-key-2": texts[0], **CONFIRMED}
    assert "c’est la clé du dépositaire 2" in client_a.post(close, swapped, follow=True).content.decode()
    survey.refresh_from_db()
    assert not survey.is_frozen and not Answer.objects.exists()
    # Both keys, the second as an uploaded file: closed, and the published file recounts.
    upload = io.BytesIO(texts[1].encode())
    upload.name = "cle.txt"
    # Closing is final: without the box ticked, nothing happens.
    client_a.post(close, {"trustee-key-1": texts[0], "trustee-key-2": texts[1]})
    assert not Survey.objects.get(pk=survey.pk).is_frozen
    client_a.post(close, {"trustee-key-1": texts[0], "trustee-file-2": upload, **CONFIRMED})
    survey.refresh_from_db()
    assert survey.is_frozen and survey.tally["answers"] == 4
    report = recount(read_published(io.StringIO("".join(iter_published(survey)))), receipt=people[1][1])
    assert report.ok and report.receipt_found
    assert ActionLogEntry.objects.filter(action="ballot.key_mode").exists()


def test_a_key_of_another_vote_is_named_as_such(
    client_a, admin_a, org_a, survey_component, survey, questionnaire
):
    from civitas.components.surveys.tests.conftest import make_survey_component

    client_a.force_login(admin_a)
    ours, _page = _hand_keys(client_a, survey_component, names="Maître Durand <durand@huissiers.example>")
    other_component = make_survey_component(org_a, admin_a, title="Autre consultation")
    theirs, _page = _hand_keys(client_a, other_component, names="Maître Durand <durand@huissiers.example>")
    answer_many(survey, questionnaire, 1)
    translation.activate("en")  # the pages above left their own language active
    with pytest.raises(services.SurveyError, match="belongs to another vote"):
        services.do_close(survey=survey, user=admin_a, trustee_keys=theirs)
    with pytest.raises(services.SurveyError, match="not the one this trustee registered"):
        services.do_close(survey=survey, user=admin_a, trustee_keys=[theirs[0].split("key: ")[1]])
    services.do_close(survey=survey, user=admin_a, trustee_keys=[ours[0].split("key: ")[1]])
    assert Survey.objects.get(pk=survey.pk).is_frozen


def test_closing_from_the_command_line_with_key_files(
    tmp_path, client_a, admin_a, survey_component, survey, questionnaire
):
    client_a.force_login(admin_a)
    texts, _page = _hand_keys(client_a, survey_component)
    answer_many(survey, questionnaire, 3)
    files = []
    for index, text in enumerate(texts, start=1):
        path = tmp_path / f"key{index}.txt"
        path.write_text(text, encoding="utf-8")
        files.append(str(path))
    with pytest.raises(CommandError, match="Trustee 2|Dépositaire 2"):
        call_command("close_vote", "surveys.survey", str(survey.pk), "--admin", admin_a.email,
                     "--trustee-key", files[0])  # fmt: skip
    out = io.StringIO()
    call_command("close_vote", "surveys.survey", str(survey.pk), "--admin", admin_a.email,
                 "--trustee-key", files[0], "--trustee-key", files[1], stdout=out)  # fmt: skip
    assert "closed: 3 records" in out.getvalue()


def test_the_platform_key_is_erased_at_closing(admin_a, survey, questionnaire):
    answer_many(survey, questionnaire, 2)
    services.do_close(survey=survey, user=admin_a)
    survey.refresh_from_db()
    assert survey.public_key and not survey.key_salt
    with pytest.raises(keys.VoteKeyError, match="erased"):
        keys.opener(survey)


def test_the_published_file_lists_every_encrypted_record_as_cast(admin_a, survey, questionnaire):
    from civitas.components.surveys.tests.helpers import post_data
    from civitas.testing.factories import UserFactory

    organization = survey.component.space.organization
    receipts = [
        services.do_answer(
            survey=survey, user=UserFactory(organization=organization), data=post_data(questionnaire.answer())
        )
        for _ in range(3)
    ]
    services.do_close(survey=survey, user=admin_a)
    text = "".join(iter_published(survey))
    listed = [line for line in text.splitlines() if line.startswith('{"envelope":')]
    assert len(listed) == 3 and listed == sorted(listed)
    for receipt in receipts:
        assert f'{{"envelope":"{receipt.fingerprint}"}}' in listed
    report = recount(read_published(io.StringIO(text)), receipt=receipts[0].code)
    assert report.ok, report.mismatches
    # Removing an envelope after closing breaks the seal.
    survey.envelopes().filter(fingerprint=receipts[1].fingerprint).delete()
    from civitas.ballotbox.services import verify

    assert verify(survey)


def test_reloading_the_keys_page_does_not_void_the_keys_handed_out(
    client_a, admin_a, survey_component, survey
):
    client_a.force_login(admin_a)
    texts, _page = _hand_keys(client_a, survey_component)
    public_key = Survey.objects.get(pk=survey.pk).public_key
    again = client_a.post(
        f"{_admin(survey_component)}keys/",
        {"action": "trustees", "names": TRUSTEES},
    )
    assert again.status_code == 302
    assert Survey.objects.get(pk=survey.pk).public_key == public_key
    replaced = client_a.post(
        f"{_admin(survey_component)}keys/",
        {"action": "trustees", "names": "Maître Durand durand@huissiers.example", "replace": "1"},
    )
    assert replaced.status_code == 200 and Survey.objects.get(pk=survey.pk).public_key != public_key


def _links(client, component, names=TRUSTEES):
    mail.outbox.clear()
    client.post(f"{_admin(component)}keys/", {"action": "trustees", "names": names})
    return ["/" + url.split("/", 3)[3] for url in trustee_links_in_outbox(_addresses(names))]


def _public_line(public: bytes | None = None) -> str:
    return f"public: {crypto.encode_share(public or crypto.new_trustee_key()[1])}"


def test_a_trustee_link_works_once_on_its_own_organization_and_refuses_bad_public_keys(
    client_a, client_b, admin_a, survey_component, survey
):
    client_a.force_login(admin_a)
    first, second = _links(client_a, survey_component)
    trustee = Client(HTTP_HOST=survey_component.space.organization.host)
    # Another organization's host, a forged token, a token of another trustee index: unknown.
    assert client_b.get(first).status_code == 404
    forged = first.rstrip("/")[:-4] + "AAAA/"
    assert trustee.get(forged).status_code == 404
    assert trustee.get(first.replace(".1.", ".2.", 1)).status_code == 404
    assert trustee.get("/ballots/trustee/auth.user.1.1.x/").status_code == 404  # not a vote
    before = Survey.objects.filter(pk=survey.pk).values("trustees", "public_key").get()
    low_order = bytes(32)  # the identity point: every "shared secret" with it is known
    bad = {
        "": "la clé est vide",
        "public: 1234": "tronquée",
        _public_line()[:-3] + "ZZZ": "mal recopiée",
        _public_line(low_order): "clé publique ne peut pas servir",
    }
    for line, problem in bad.items():
        page = trustee.post(first, {"public_key": line, "kept": "1"})
        assert page.status_code == 200 and problem in page.content.decode(), (line, page.content[:300])
    assert Survey.objects.filter(pk=survey.pk).values("trustees", "public_key").get() == before
    # The vote takes no ballot while a trustee has not registered.
    line = _public_line()
    assert trustee.post(first, {"public_key": line, "kept": "1"}).status_code == 302
    survey.refresh_from_db()
    assert survey.public_key == "" and survey.trustees[0]["public_key"]
    with pytest.raises(keys.KeysNotReady):
        keys.sealing_recipient(survey)
    # The same public key twice would let one trustee stand for two: refused.
    refused = trustee.post(second, {"public_key": line, "kept": "1"})
    assert "même clé" in refused.content.decode()
    assert trustee.post(second, {"public_key": _public_line(), "kept": "1"}).status_code == 302
    survey.refresh_from_db()
    assert len(survey.public_key) == 64 and isinstance(keys.sealing_recipient(survey), crypto.TrusteesSealer)
    # Used links are gone.
    assert trustee.get(first).status_code == 404 and trustee.get(second).status_code == 404
    assert ActionLogEntry.objects.filter(action="ballot.trustee_key").count() == 2


def test_the_command_line_tool_makes_a_key_the_platform_accepts(
    tmp_path, client_a, admin_a, survey_component, survey, questionnaire, capsys
):
    from civitas.ballotbox import trustee_key

    client_a.force_login(admin_a)
    # A name is the admin's text: the command a trustee pastes into a shell never holds it.
    [link] = _links(
        client_a, survey_component, names='Maître $(touch /tmp/owned)"; id; echo " <durand@huissiers.example>'
    )
    page = Client(HTTP_HOST=survey_component.space.organization.host).get(link).content.decode()
    command = page.split('<pre class="command">')[1].split("</pre>")[0]
    assert re.fullmatch(
        r"python -m civitas\.ballotbox\.trustee_key --vote [a-z_.]+:\d+ --index 1 --total 1 --out [\w.-]+",
        command,
    )
    key_path = tmp_path / "cle.txt"
    arguments = ["--vote", survey.ballot_ref, "--index", "1", "--total", "1", "--name", "Maître Durand",
                 "--title", "Consultation", "--out", str(key_path)]  # fmt: skip
    assert trustee_key.main(arguments) == 0
    public_line = capsys.readouterr().out.strip().splitlines()[-1]
    assert trustee_key.main(arguments) == 1  # never over a key already made
    assert oct(key_path.stat().st_mode & 0o777) == "0o600"
    trustee = Client(HTTP_HOST=survey_component.space.organization.host)
    assert trustee.post(link, {"public_key": public_line, "kept": "1"}).status_code == 302
    answer_many(survey, questionnaire, 2)
    translation.activate("en")
    services.do_close(survey=survey, user=admin_a, trustee_keys=[key_path.read_text(encoding="utf-8")])
    assert Survey.objects.get(pk=survey.pk).tally["answers"] == 2
