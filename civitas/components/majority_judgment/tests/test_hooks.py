"""The manifest's hooks: statistics always, open data only once the results are published."""

import pytest

from civitas.components.majority_judgment import services
from civitas.components.majority_judgment.manifest import manifest
from civitas.testing.components import configure_component

pytestmark = pytest.mark.django_db


def test_statistics_and_open_data(election, candidates, voter, admin_a):
    component = election.component
    services.do_vote(election=election, user=voter, data={f"candidate-{candidates['Bancs'].pk}": "5"})
    assert manifest.statistics(component) == {"majority_judgment_candidates": 3, "majority_judgment_votes": 1}
    assert list(manifest.open_data(component)) == [("majority_judgment_results", [])]
    services.do_close(election=election, user=admin_a)
    configure_component(component, admin_a, voting_enabled=False, results_shown=True)
    component.refresh_from_db()
    ((name, rows),) = manifest.open_data(component)
    assert (
        rows[0]["candidate"] == "Bancs" and rows[0]["rank"] == 1 and rows[0]["majority_grade"] == "Très bien"
    )
    assert rows[0]["profile"] == "0 1 0 0 0 0 0"
    assert [row["rank"] for row in rows[1:]] == [2, 2]
