"""A backup and restore round trip keeps a closed consultation's seal verifiable."""

import pytest
from django.utils import timezone

from civitas.ballotbox.services import iter_published, verify
from civitas.components.surveys import services
from civitas.components.surveys.models import Answer, Survey
from civitas.components.surveys.tests.helpers import answer_many
from civitas.core.backup import create_backup, restore_backup, table_counts
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _let_the_flush_empty_frozen_answers():
    """The freeze triggers refuse TRUNCATE of a closed consultation's answers unless it
    is discarded, and the end of a transactional test truncates every table."""
    yield
    Survey.objects.filter(frozen_at__isnull=False).update(discarded_at=timezone.now())


def test_a_restored_consultation_still_matches_its_seal(survey, questionnaire, admin_a, tmp_path):
    answer_many(survey, questionnaire, 8)
    services.do_close(survey=survey, user=admin_a)
    survey.refresh_from_db()
    published = "".join(iter_published(survey))
    counts = table_counts()
    archive = tmp_path / "backup.tar.gz"
    create_backup(archive)

    # After the backup, the data changes; the restore brings back the state that was saved.
    UserFactory(organization=admin_a.organization, nickname="apres")

    restore_backup(archive)
    restored = Survey.objects.get(pk=survey.pk)
    assert table_counts() == counts
    assert restored.seal == survey.seal and restored.tally == survey.tally
    assert Answer.objects.filter(survey=restored).count() == 8
    assert verify(restored) == []
    assert "".join(iter_published(restored)) == published
