"""From a solved lottery to the published document (joins the solver and the stdlib draw)."""

from __future__ import annotations

from .draw import build_document
from .model import Instance
from .solver import Lottery


def lottery_document(instance: Instance, lottery: Lottery, title: str) -> dict:
    return build_document(
        title=title,
        features=[
            {"name": f.name, "quotas": {v: [q.minimum, q.maximum] for v, q in f.quotas.items()}}
            for f in instance.features
        ],
        groups=[{"profile": list(g.profile), "codes": list(g.codes)} for g in lottery.groups],
        panel_size=instance.panel_size,
        alternates=instance.alternates,
        compositions=[list(c) for c in lottery.compositions],
        probabilities=lottery.probabilities,
        method=lottery.method,
    )
