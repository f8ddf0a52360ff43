"""Who signed, in figures: age bands and départements of the signers who agreed.

Only from the aggregate counters (SignatureAggregate), never from signatures. A figure
under MINIMUM would point at a handful of people (the one signer born in 1931 in
Corse-du-Sud): such départements are merged into "other départements", and a band or a
remainder still under it is shown as "fewer than 5".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

MINIMUM = 5
# (lowest age, label); ages reached in the petition's year of publication.
AGE_BANDS = (
    (0, _("under 25")),
    (25, _("25 to 34")),
    (35, _("35 to 49")),
    (50, _("50 to 64")),
    (65, _("65 and over")),
)


@dataclass(frozen=True)
class Figure:
    label: str
    signers: int | None  # None: fewer than MINIMUM, not shown

    @property
    def hidden(self) -> bool:
        return self.signers is None


def _shown(label, signers: int) -> Figure:
    return Figure(str(label), signers if signers >= MINIMUM else None)


def signer_figures(petition) -> dict[str, list[Figure]]:
    """{"ages": [...], "departements": [...]} for the page; empty lists when nobody shared."""
    year = (petition.published_on or petition.created_at.date()).year
    ages = [0] * len(AGE_BANDS)
    by_departement: dict[str, int] = {}
    rows = petition.aggregates.values_list("birth_year", "departement").annotate(total=Sum("signatures"))
    for birth_year, departement, total in rows:
        if total <= 0:
            continue
        if birth_year:
            age = year - birth_year
            band = max(index for index, (lowest, _label) in enumerate(AGE_BANDS) if age >= lowest)
            ages[band] += total
        if departement:
            by_departement[departement] = by_departement.get(departement, 0) + total
    age_figures = [
        _shown(label, ages[index]) for index, (_lowest, label) in enumerate(AGE_BANDS) if ages[index]
    ]
    shown = sorted(
        ((code, total) for code, total in by_departement.items() if total >= MINIMUM),
        key=lambda item: (-item[1], item[0]),
    )
    others = sum(total for total in by_departement.values() if total < MINIMUM)
    departement_figures = [Figure(code, total) for code, total in shown]
    if others:
        departement_figures.append(_shown(_("other départements"), others))
    return {"ages": age_figures, "departements": departement_figures}
