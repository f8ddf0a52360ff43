"""civitas.wsgi with the benchmark's identity source registered (see petition_identity)."""

from petition_identity import register

from civitas.wsgi import application  # noqa: F401  (sets Django up)

register()
