"""Lists cost the same number of queries whatever the length of their page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civitas.api.tests.conftest import meeting, publish
from civitas.comments.services import do_add_comment

pytestmark = pytest.mark.django_db

LISTS = (
    "/api/v1/spaces/",
    "/api/v1/components/",
    "/api/v1/proposals/",
    "/api/v1/meetings/",
    "/api/v1/debates/",
)


def _reads_data(sql: str) -> bool:
    # The rate limiter's counter lives in the shared cache (a table without Redis): its
    # first request in a window inserts, the next ones update. That is not the list's cost.
    return "civitas_shared_cache" not in sql and not sql.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK"))


def _counts(client, paths) -> dict[str, int]:
    counts = {}
    for path in paths:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counts[path] = sum(1 for query in queries.captured_queries if _reads_data(query["sql"]))
    return counts


def test_no_query_per_listed_object(world, api, django_capture_on_commit_callbacks):
    thread = f"/api/v1/proposals/{world['proposal'].pk}/comments/"
    before = _counts(api, (*LISTS, thread))
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(4):
            publish(world["author"], world["ideas"], f"Encore une idée {number}")
            meeting(world["meetings"], f"Encore une rencontre {number}")
            do_add_comment(user=world["reporter"], resource=world["proposal"], body=f"<p>Encore {number}</p>")
    assert _counts(api, (*LISTS, thread)) == before
