"""What one vote request costs the database: the SQL statements of a POST.

Queries are counted as Django logs them, savepoints included, transaction control apart:
the BEGIN (``BEGIN IMMEDIATE`` on SQLite) and COMMIT Django logs open and close the one
transaction a vote writes in. Run the tests that use it with ``transaction=True``: in a test's own
transaction every atomic block would add savepoints a running server does not send.
"""

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

# The most queries a vote may cost (issue 21), session, account and organization included.
MOST_QUERIES_PER_VOTE = 8
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK")


def vote_statements(client, url: str, data: dict):
    """The response to ``POST url``, its queries and its transaction control statements."""
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, data)
    statements = [query["sql"] for query in captured.captured_queries]
    control = [sql for sql in statements if sql.upper().startswith(TRANSACTION_CONTROL)]
    queries = [sql for sql in statements if not sql.upper().startswith(TRANSACTION_CONTROL)]
    return response, queries, control


def expected_queries(*, database: int, shared_cache: int) -> int:
    """``database`` queries whatever the configuration, plus the ``shared_cache`` reads and
    writes (the rate limit's counter, a version), which go to the database without Redis
    and to Redis with it."""
    cache_in_database = settings.CACHES["shared"]["BACKEND"].endswith("DatabaseCache")
    return database + (shared_cache if cache_in_database else 0)


def one_transaction() -> list[str]:
    """The transaction control of a vote: one transaction, opened and committed."""
    return ["BEGIN IMMEDIATE" if connection.vendor == "sqlite" else "BEGIN", "COMMIT"]
