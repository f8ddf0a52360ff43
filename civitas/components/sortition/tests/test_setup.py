"""The admin defines features, values and quotas (from population shares), size and alternates."""

import pytest

from civitas.actionlog.models import ActionLogEntry
from civitas.components.sortition import services
from civitas.components.sortition.models import FeatureValue

from .conftest import add_volunteers

pytestmark = pytest.mark.django_db


def test_shares_and_tolerance_give_the_quotas(panel_component, admin_a):
    panel = services.panel_of(panel_component)
    services.do_configure(panel=panel, user=admin_a, panel_size=150, alternates=10, method="leximin")
    feature = services.do_add_feature(
        panel=panel, user=admin_a, name="Genre", values_text="Femme: 52 %\nHomme: 48", tolerance=2
    )
    quotas = {v.label: (v.minimum, v.maximum, v.population_share) for v in feature.values.all()}
    assert quotas == {"Femme": (75, 81, 52.0), "Homme": (69, 75, 48.0)}
    services.do_configure(panel=panel, user=admin_a, panel_size=50, alternates=5, method="leximin")
    services.do_apply_shares(panel=panel, user=admin_a, tolerance=4)
    assert FeatureValue.objects.get(label="Femme").minimum == 24  # 52 % − 4 of 50 seats
    actions = set(ActionLogEntry.objects.values_list("action", flat=True))
    assert {"sortition.configure", "sortition.feature_add", "sortition.quotas"} <= actions


def test_values_without_shares_get_the_whole_range(panel_component, admin_a):
    panel = services.panel_of(panel_component)
    feature = services.do_add_feature(
        panel=panel, user=admin_a, name="Quartier", values_text="Nord\nSud", tolerance=2
    )
    assert [(v.minimum, v.maximum) for v in feature.values.all()] == [(0, 20), (0, 20)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Seul", "at least two values"),
        ("A\nA", "different one"),
        ("A: beaucoup\nB", "must be a number"),
        ("A: -3\nB: 4", "cannot be negative"),
    ],
)
def test_bad_values_are_refused_and_change_nothing(panel_component, admin_a, text, message):
    panel = services.panel_of(panel_component)
    with pytest.raises(services.SortitionError, match=message):
        services.do_add_feature(panel=panel, user=admin_a, name="X", values_text=text, tolerance=2)
    assert not panel.features.exists()


def test_features_are_fixed_once_volunteers_answered(panel, admin_a):
    add_volunteers(panel, [("Femme", "Jeune", 1)])
    with pytest.raises(services.SortitionError, match="can no longer change"):
        services.do_add_feature(panel=panel, user=admin_a, name="Diplôme", values_text="A\nB", tolerance=0)
    # Quotas may still move until the lottery is published.
    value = FeatureValue.objects.get(label="Femme")
    services.do_set_quotas(panel=panel, user=admin_a, quotas={value.pk: (1, 3)})
    value.refresh_from_db()
    assert (value.minimum, value.maximum) == (1, 3)


def test_a_minimum_above_the_maximum_is_refused(panel, admin_a):
    value = FeatureValue.objects.get(label="Femme")
    with pytest.raises(services.SortitionError, match="above the maximum"):
        services.do_set_quotas(panel=panel, user=admin_a, quotas={value.pk: (3, 1)})
