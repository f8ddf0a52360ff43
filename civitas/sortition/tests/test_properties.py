"""Random small instances: whatever the pool and quotas, the lottery is valid or the diagnosis says why."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civitas.sortition.draw import canonical_bytes, draw, parse_file, selection_probabilities
from civitas.sortition.publish import lottery_document
from civitas.sortition.solver import QuotasInfeasible, diagnose, leximin

from .helpers import meets_quotas, published, two_feature_instance, volunteers
from .test_solver import brute_force_maximin


@st.composite
def instances(draw_value):
    counts = [draw_value(st.integers(0, 4)) for _ in range(4)]
    profiles = [("woman", "young"), ("woman", "old"), ("man", "young"), ("man", "old")]
    pool = volunteers(*[(g, a, n) for (g, a), n in zip(profiles, counts, strict=True)])
    size = draw_value(st.integers(1, max(1, min(5, len(pool)))))

    def quota():
        low = draw_value(st.integers(0, size))
        return (low, draw_value(st.integers(low, size)))

    return two_feature_instance(
        pool, size, {"woman": quota(), "man": quota()}, {"young": quota(), "old": quota()}, alternates=2
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.text(min_size=1, max_size=8).filter(str.strip))
def test_valid_lottery_or_a_diagnosis(instance, seed):
    try:
        lottery = leximin(instance)
    except QuotasInfeasible as error:
        assert error.problems == diagnose(instance) and error.problems
        return
    assert diagnose(instance) == []
    document = parse_file(canonical_bytes(published(lottery_document(instance, lottery, "t"))))
    for panel in document["panels"]:
        codes = [c for g, n in zip(document["groups"], panel["counts"], strict=True) for c in g["codes"][:n]]
        assert meets_quotas(instance, codes)
    assert sum(selection_probabilities(document).values()) == instance.panel_size
    assert abs(min(lottery.volunteer_probabilities().values()) - brute_force_maximin(instance)) < 1e-6
    result = draw(document, seed)
    assert meets_quotas(instance, result.panel)
    assert not set(result.panel) & set(result.alternates)
