"""A petition with 2,000,000 signatures (scaled), shared with ``bench/petition_bench.py``.

The petitions component and the petition are made with the real services (draft, submit,
publish: the counter shards, the thresholds, the log); the signatures are inserted
server-side with ``generate_series`` (two million rows sent from Python would take
minutes), then the counter shards are set to hold them, as signing one by one leaves them:
rows = counters. Signatures are spread over the twelve days the petition has been open;
their pseudonyms are derived from the seed (the same seed gives the same rows).
"""

from __future__ import annotations

import datetime

SIGNATURES = 2_000_000
DAYS_OPEN = 12
BODY = (
    "<p>Nous, citoyennes et citoyens, demandons que les propositions issues du Grand Débat National "
    "soient soumises au Parlement et qu'une réponse publique soit donnée à chacune d'elles.</p>"
    "<p>Des centaines de milliers de personnes ont pris le temps d'écrire : leurs contributions "
    "doivent être lues, analysées de façon transparente et suivies d'effets.</p>"
)


def add_petitions_component(*, space, phase, admin, answer_threshold: int = 5_000_000):
    """A published petitions component of ``space``, signing open during ``phase``."""
    from civitas.components.manifest import registry
    from civitas.components.services import (
        do_add_component,
        do_configure_component,
        do_set_component_published,
    )

    manifest = registry.get("petitions")
    component = do_add_component(space=space, user=admin, manifest=manifest, name="Pétitions")
    do_configure_component(
        component=component,
        user=admin,
        name=component.name,
        settings=manifest.settings.clean({"answer_threshold": answer_threshold, "debate_threshold": 0}),
        phase_settings={
            str(phase.pk): manifest.phase_settings.clean({"signing_enabled": True, "creation_enabled": True})
        },
    )
    do_set_component_published(component=component, user=admin, published=True)
    return component


def publish_petition(*, component, admin, title: str, body: str, identity_handler: str):
    """A petition drafted, submitted and published by ``admin``, open for ``DAYS_OPEN`` more days."""
    from django.utils import timezone

    from civitas.components.petitions import services

    petition = services.do_draft(user=admin, component=component, title=title, body=body)
    services.do_submit(petition=petition, user=admin)
    return services.do_publish(
        petition=petition,
        user=admin,
        deadline=timezone.localdate() + datetime.timedelta(days=DAYS_OPEN),
        identity_handler=identity_handler,
    )


def insert_signatures(petition, count: int, *, seed: int = 0) -> None:
    """``count`` online signatures of ``petition``, inserted server-side, and its counter
    shards set to match (each shard holding its share, as concurrent signers spread them)."""
    from django.db import connection
    from django.utils import timezone

    from civitas.components.petitions.models import COUNTER_SHARDS, SignatureCounter

    with connection.cursor() as cursor:
        # Birth years and départements are counted apart (SignatureAggregate): not shared here.
        cursor.execute(
            """
            INSERT INTO petitions_signature
                (petition_id, pseudonym, person, day, channel, receipt_hash, shares_aggregates)
            SELECT %(petition)s,
                   md5('pseudonym-' || %(seed)s || '-' || i)::uuid,
                   md5('person-' || %(seed)s || '-' || i)::uuid,
                   %(today)s::date - (i %% %(days)s),
                   'online',
                   encode(sha256(convert_to('bench-receipt-' || %(seed)s || '-' || i, 'UTF8')), 'hex'),
                   false
            FROM generate_series(1, %(count)s) AS i
            """,
            {
                "petition": petition.pk,
                "seed": seed,
                "today": timezone.localdate(),
                "days": DAYS_OPEN,
                "count": count,
            },
        )
        cursor.execute("ANALYZE petitions_signature")
    for shard in range(COUNTER_SHARDS):
        share = count // COUNTER_SHARDS + (1 if shard < count % COUNTER_SHARDS else 0)
        SignatureCounter.objects.filter(petition=petition, shard=shard).update(online=share)


def petition(context) -> None:
    """The national petition, in the first process, signed ``SIGNATURES`` times (scaled)."""
    import petition_identity

    petition_identity.register()
    space = context.spaces[0]
    component = add_petitions_component(space=space, phase=context.phases[space.pk][1], admin=context.admin)
    context.petition = publish_petition(
        component=component,
        admin=context.admin,
        title="Pour que les propositions du Grand Débat soient débattues au Parlement",
        body=BODY,
        identity_handler=petition_identity.HANDLER,
    )
    count = context.scaled(SIGNATURES)
    insert_signatures(context.petition, count, seed=context.seed)
    context.count("petitions", 1)
    context.count("signatures", count)
