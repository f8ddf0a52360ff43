"""Small hand-made instances: solved in milliseconds, checkable by hand or brute force."""

from datetime import datetime, timedelta, timezone

from civitas.sortition.draw import PUBLIC_DRAW, publish_document, seed_rule
from civitas.sortition.model import Feature, Instance, Quota, Volunteer


def volunteers(*profiles: tuple[str, str, int]) -> list[Volunteer]:
    """(gender, age, how many) triples → volunteers with codes V01, V02…"""
    result = []
    for gender, age, count in profiles:
        for _ in range(count):
            result.append(Volunteer(f"V{len(result) + 1:02d}", {"gender": gender, "age": age}))
    return result


def two_feature_instance(pool, panel_size, gender_quotas, age_quotas, alternates=0) -> Instance:
    features = [
        Feature("gender", {value: Quota(*bounds) for value, bounds in gender_quotas.items()}),
        Feature("age", {value: Quota(*bounds) for value, bounds in age_quotas.items()}),
    ]
    return Instance(features, pool, panel_size, alternates)


def meets_quotas(instance: Instance, codes) -> bool:
    answers = {v.code: v.answers for v in instance.volunteers}
    if len(codes) != instance.panel_size:
        return False
    for feature in instance.features:
        for value, quota in feature.quotas.items():
            seats = sum(1 for code in codes if answers[code][feature.name] == value)
            if not quota.minimum <= seats <= quota.maximum:
                return False
    return True


ANNOUNCED = datetime(2026, 12, 11, 21, 30, tzinfo=timezone(timedelta(hours=1)))


def public_draw_rule(description: str = "les numéros du tirage EuroMillions du vendredi 11 décembre 2026"):
    return seed_rule(kind=PUBLIC_DRAW, description=description, draw_at=ANNOUNCED)


def published(draft: dict, rule: dict | None = None) -> dict:
    """A draft (lottery or list) as the platform publishes it: with a seed rule and its content hash."""
    return publish_document(draft, rule or public_draw_rule())
