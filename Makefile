# The two commands of the README. Everything else is a helper they call.
.PHONY: run test lint messages security

run:
	./scripts/run.sh

test:
	./scripts/test.sh

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

messages:
	.venv/bin/python manage.py makemessages -l fr --no-obsolete --ignore=.venv --ignore=var && \
	.venv/bin/python scripts/compile_messages.py

# The security cases alone (CSRF, XSS in Chromium, SQL injection, IDOR, redirects, headers,
# rate limits, uploads, schemathesis), with the number of cases tried at the end.
security:
	.venv/bin/python -m pytest -m security -n 2
