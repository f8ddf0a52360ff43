"""Benchmarks only: how many SQL queries each request sent, in a response header.

``surge_settings`` puts this middleware first, so it sees every query of a request:
session, account, organization and the view's, counted as the tests of
civitas/testing/vote_cost.py count them: savepoints included, transaction control
(BEGIN, COMMIT) apart. Never part of the platform's settings.
"""

from django.db import connection

HEADER = "X-Bench-Queries"


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counted(execute, sql, params, many, context):
            nonlocal count
            count += not sql.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK"))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            response = self.get_response(request)
        response[HEADER] = str(count)
        return response
