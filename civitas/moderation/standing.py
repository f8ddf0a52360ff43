"""How much one report weighs, from the reporter's standing. Framework-free.

Reports hide a contribution automatically once their weights add up to the
organization's threshold. Counting every report as one let three throw-away accounts
hide anything; weighing them by standing makes censorship cost time and a record:

- the age of the account: a report from an account created today weighs
  ``NEW_ACCOUNT_FACTOR`` of a full one, rising linearly to full weight after
  ``FULL_WEIGHT_AFTER_DAYS`` days;
- the reporter's record, judged by moderators: ``2 × (upheld + 1) / (upheld + dismissed + 2)``
  (Laplace's rule of succession, doubled): 1 with no record, towards 2 for someone whose
  reports are upheld, towards 0 for someone whose reports are dismissed.

An established account with no record weighs exactly 1, so the threshold reads as
"this many ordinary participants".
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

NEW_ACCOUNT_FACTOR = 0.1
FULL_WEIGHT_AFTER_DAYS = 30
PLATFORM_WEIGHT = Decimal("1.00")  # a report made by the platform itself (the spam scan)


def age_factor(account_age_days: float) -> float:
    if account_age_days <= 0:
        return NEW_ACCOUNT_FACTOR
    return min(1.0, max(NEW_ACCOUNT_FACTOR, account_age_days / FULL_WEIGHT_AFTER_DAYS))


def record_factor(upheld: int, dismissed: int) -> float:
    if upheld < 0 or dismissed < 0:
        raise ValueError("report counts cannot be negative")
    return 2 * (upheld + 1) / (upheld + dismissed + 2)


def report_weight(*, account_age_days: float, upheld: int, dismissed: int) -> Decimal:
    """The weight of one report, to the hundredth (what the moderation queue shows)."""
    weight = age_factor(account_age_days) * record_factor(upheld, dismissed)
    return Decimal(str(weight)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
