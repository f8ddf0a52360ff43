"""Counting a batch of paper forms or ballots: each serial number counts once, whatever the batch.

Shared by consultations and majority-judgment votes, whose used-serial models both have
``serial`` and ``batch`` fields and a unique constraint on (owner, serial).
"""

from django.db import IntegrityError, transaction


def claim_serials(
    model, owner: dict, batch, serials: list[str], *, already_counted: str, just_counted: str, error
):
    """Record ``serials`` as counted in ``batch``, or raise ``error`` and record nothing.

    ``already_counted`` is a translated message with a ``%(serials)s`` slot, for serials a
    previous count took; ``just_counted`` is for a count that won the race meanwhile.
    """
    taken = set(model.objects.filter(**owner, serial__in=serials).values_list("serial", flat=True))
    if taken:
        raise error(already_counted % {"serials": ", ".join(sorted(taken))})
    try:
        with transaction.atomic():
            model.objects.bulk_create([model(**owner, serial=serial, batch=batch) for serial in serials])
    except IntegrityError:
        raise error(just_counted) from None
