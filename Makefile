# The two commands of the README. Everything else is a helper they call.
.PHONY: run test lint messages security

run:
	./scripts/run.sh

test:
	./scripts/test.sh

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

# Every message in its app's French catalogue (or the shared one), unused ones dropped,
# new ones added without French (then give it with scripts/add_app_messages.py); compiled.
messages:
	.venv/bin/python scripts/split_catalogues.py

# The security cases alone (CSRF, XSS in Chromium, SQL injection, IDOR, redirects, headers,
# rate limits, uploads, schemathesis), with the number of cases tried at the end.
security:
	.venv/bin/python -m pytest -m security -n 2
