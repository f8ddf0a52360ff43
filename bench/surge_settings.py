"""The platform's settings plus the benchmark's statement counter (bench/query_count.py)."""

from civitas.settings import *  # noqa: F403
from civitas.settings import MIDDLEWARE

MIDDLEWARE = ["query_count.QueryCountMiddleware", *MIDDLEWARE]
