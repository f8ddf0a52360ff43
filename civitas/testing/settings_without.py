"""The real settings less some apps (``CIVITAS_WITHOUT_APPS``, comma-separated): an
installation from which components were removed, for the component-removal test."""

import os

from civitas.settings import *  # noqa: F403
from civitas.settings import INSTALLED_APPS

WITHOUT_APPS = {
    name.strip() for name in os.environ.get("CIVITAS_WITHOUT_APPS", "").split(",") if name.strip()
}
INSTALLED_APPS = [name for name in INSTALLED_APPS if name not in WITHOUT_APPS]
# Static files from the app folders, as in the tests: no collectstatic in a throwaway folder.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The demo's three passwords with the real hasher cost seconds of CPU per run, for nothing here.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
