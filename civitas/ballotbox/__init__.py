"""Django side of anonymous participation: who took part, what was said, and the freeze.

Build a consultation or a vote from three models (see :mod:`civitas.ballotbox.models`):

``SealedTarget`` (abstract)
    The survey or the ballot itself. Fields ``frozen_at``, ``seal``, ``tally``,
    ``sealed_definition`` (the definition as closed), ``sealed_header`` (the published
    file's whole header as sealed at closing; null for targets sealed in format 1) and
    ``receipt_mode`` (``reveal``: a receipt leads to its record; ``inclusion``: it proves
    counting only; chosen before the vote, fixed once receipts exist). Define
    ``sealing_kind`` (the tally kind of :mod:`civitas.sealing`), ``sealing_definition()``,
    ``sealing_about()`` and ``anonymous_records()`` (a queryset of its records); a target
    with free texts defines ``sealing_text_paths()`` and ``hidden_text_paths()`` (texts
    published as their fingerprint, with the seal unchanged).

``ParticipationRecord`` (abstract)
    "This account has taken part": UUID primary key, ``user`` FK, nothing else. The
    concrete model adds the FK to its target and a unique constraint on
    ``(target, user)``: that constraint, checked in the same transaction as the
    record's insertion, is what stops a second answer (50 concurrent requests store one).

``AnonymousRecord`` (abstract)
    What was answered or voted: random UUID primary key (the default ordering, so no
    listing follows insertion order), ``day`` (never a time), ``channel``,
    ``receipt_hash`` and ``payload``. No account, no timestamp, no autoincrement id.
    The concrete model adds the FK to its target and sets ``target_field``.

Services (:mod:`civitas.ballotbox.services`)
    ``cast(target=…, participation=…, payload=…, receipt=…)``: encrypts the record with
    the vote's key (padded to the vote's one size) and stores it with the participation
    in one transaction; raises :class:`AlreadyParticipated` when the account already took
    part. ``cast_counted_forms`` does the same for paper forms, in random order.
    ``close_and_seal(target, record_model=…, trustee_keys=None)``: opens the envelopes
    into records in random order, dated the closing day, empties the ciphertexts, then
    freezes, tallies, stores the header and seals the whole file in one transaction.
    ``verify(target)``: re-seals the stored records and compares with the
    stored seal.
    ``iter_published(target)``: the lines of the downloadable file
    (streamed), hidden texts redacted, receipts listed apart in inclusion mode.
    The fingerprints of the encrypted ballots as cast are listed in the file and covered
    by the seal.
    ``discard_before_delete(TargetModel)``: call once (AppConfig.ready) so that deleting
    a whole closed target still works: it marks the target ``discarded_at`` first.

Freeze in the database (:mod:`civitas.ballotbox.operations`)
    Add ``FreezeRecords(...)`` and ``ProtectSeal(...)`` to the app's migration: triggers
    on SQLite and PostgreSQL refuse any INSERT, UPDATE or DELETE of a record whose target
    is frozen (DELETE is allowed once the target is marked ``discarded_at``, just before
    the target itself is deleted), and any change of a frozen target's ``frozen_at``,
    ``seal``, ``tally``, ``sealed_definition`` (and, since the sealed-header migrations,
    ``sealed_header`` and ``receipt_mode``) (an ``IntegrityError``). ``verify`` detects
    whatever bypasses the triggers.
"""
