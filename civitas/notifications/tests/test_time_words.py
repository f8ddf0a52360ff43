"""A notification's age reads as a person says it, never "0 minute"."""

import datetime

from django.utils import timezone, translation

from civitas.notifications.templatetags.notification_time import ago


def test_a_fresh_notification_came_just_now_and_older_ones_say_how_long_ago():
    now = timezone.now()
    with translation.override("fr"):
        assert ago(now - datetime.timedelta(seconds=20)) == "à l’instant"
        assert ago(now - datetime.timedelta(hours=3, minutes=5)) == "il y a 3\xa0heures"
    with translation.override("en"):
        assert ago(now - datetime.timedelta(minutes=1, seconds=5)) == "1\xa0minute ago"
