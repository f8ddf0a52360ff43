"""The back-office names the kinds of reported content in the admin's language ("proposition").

Guards the whole kind: every model the moderation queue can show (each registered
moderatable, and accounts reported as spam) has a translated ``verbose_name`` and
``verbose_name_plural``; without one Django shows the class name in English.
"""

from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.functional import Promise

from civitas.moderation.registry import all_moderatables


def test_every_model_the_queue_shows_has_a_translated_name():
    models = [moderatable.model for moderatable in all_moderatables()] + [get_user_model()]
    assert len(models) >= 4
    problems = []
    for model in models:
        for option in ("verbose_name", "verbose_name_plural"):
            value = model._meta.original_attrs.get(option)
            if not isinstance(value, Promise):
                problems.append(f"{model._meta.label}.{option} is not set with gettext_lazy")
                continue
            with translation.override("fr"):
                french = str(value)
            with translation.override("en"):
                english = str(value)
            if french == english:
                problems.append(f"{model._meta.label}.{option} has no French")
    assert not problems, "; ".join(problems)
