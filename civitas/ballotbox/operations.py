"""Migration operations installing the freeze triggers (SQLite and PostgreSQL).

In a migration, after the models are created::

    FreezeRecords("answer", target_field="survey", target_model="survey"),
    ProtectSeal("survey"),  # frozen_at, seal, tally, sealed_definition

A violation raises ``IntegrityError`` on both databases, so callers handle one error.
"""

# SQL here is built only from quoted model identifiers, never from user input.
# ruff: noqa: S608

from django.db import migrations

MESSAGE = "civitas-frozen: this consultation or vote is closed and its records cannot change"


def _names(schema_editor, table: str, suffix: str) -> str:
    return schema_editor.quote_name(f"{table}_{suffix}"[:60])


class FreezeRecords(migrations.operations.base.Operation):
    """Refuse INSERT, UPDATE and DELETE of records whose target is frozen."""

    reversible = True
    reduces_to_sql = True

    def __init__(
        self,
        model_name: str,
        *,
        target_field: str,
        target_model: str,
        frozen_column: str = "frozen_at",
        discarded_column: str = "discarded_at",
    ):
        self.model_name = model_name
        self.target_field = target_field
        self.target_model = target_model
        self.frozen_column = frozen_column
        self.discarded_column = discarded_column

    def deconstruct(self):
        kwargs = {
            "target_field": self.target_field,
            "target_model": self.target_model,
            "frozen_column": self.frozen_column,
            "discarded_column": self.discarded_column,
        }
        return (self.__class__.__qualname__, [self.model_name], kwargs)

    def state_forwards(self, app_label, state):
        pass

    def describe(self):
        return f"Freeze {self.model_name} records once their {self.target_field} is frozen"

    @property
    def migration_name_fragment(self):
        return f"freeze_{self.model_name.lower()}"

    def _tables(self, app_label, state):
        model = state.apps.get_model(app_label, self.model_name)
        target = state.apps.get_model(app_label, self.target_model)
        fk_column = model._meta.get_field(self.target_field).column
        return model._meta.db_table, fk_column, target._meta.db_table, target._meta.pk.column

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        table, fk, target_table, target_pk = self._tables(app_label, to_state)
        q = schema_editor.quote_name
        frozen = (
            f"SELECT 1 FROM {q(target_table)} WHERE {q(target_pk)} = {{row}}.{q(fk)} "
            f"AND {q(self.frozen_column)} IS NOT NULL"
        )
        # Deleting the whole consultation (its component, its space) is not tampering:
        # once the target is marked discarded, its records may go with it, never change.
        kept = f"{frozen} AND {q(self.discarded_column)} IS NULL"
        if schema_editor.connection.vendor == "sqlite":
            for event, rows in (("INSERT", ["NEW"]), ("UPDATE", ["OLD", "NEW"]), ("DELETE", ["OLD"])):
                check = kept if event == "DELETE" else frozen
                condition = " OR ".join(f"EXISTS ({check.format(row=row)})" for row in rows)
                schema_editor.execute(
                    f"CREATE TRIGGER {_names(schema_editor, table, 'frozen_' + event.lower())} "
                    f"BEFORE {event} ON {q(table)} FOR EACH ROW WHEN {condition} "
                    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
                )
        elif schema_editor.connection.vendor == "postgresql":
            function = _names(schema_editor, table, "refuse_frozen")
            schema_editor.execute(
                f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                "BEGIN\n"
                f"  IF TG_OP = 'UPDATE' AND EXISTS ({frozen.format(row='OLD')}) THEN\n"
                f"    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';\n"
                "  END IF;\n"
                f"  IF TG_OP = 'DELETE' AND EXISTS ({kept.format(row='OLD')}) THEN\n"
                f"    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';\n"
                "  END IF;\n"
                f"  IF TG_OP IN ('INSERT', 'UPDATE') AND EXISTS ({frozen.format(row='NEW')}) THEN\n"
                f"    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';\n"
                "  END IF;\n"
                "  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;\n"
                "  RETURN NEW;\n"
                "END $$"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {_names(schema_editor, table, 'frozen')} BEFORE INSERT OR UPDATE OR DELETE "
                f"ON {q(table)} FOR EACH ROW EXECUTE FUNCTION {function}()"
            )
            truncate = _names(schema_editor, table, "refuse_truncate")
            schema_editor.execute(
                f"CREATE OR REPLACE FUNCTION {truncate}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                "BEGIN\n"
                f"  IF EXISTS (SELECT 1 FROM {q(target_table)}\n"
                f"             WHERE {q(self.frozen_column)} IS NOT NULL\n"
                f"             AND {q(self.discarded_column)} IS NULL) THEN\n"
                f"    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';\n"
                "  END IF;\n"
                "  RETURN NULL;\n"
                "END $$"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {_names(schema_editor, table, 'frozen_truncate')} BEFORE TRUNCATE "
                f"ON {q(table)} FOR EACH STATEMENT EXECUTE FUNCTION {truncate}()"
            )
        else:
            raise NotImplementedError(f"no freeze triggers for {schema_editor.connection.vendor}")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        table, *_rest = self._tables(app_label, from_state)
        if schema_editor.connection.vendor == "sqlite":
            for event in ("insert", "update", "delete"):
                schema_editor.execute(
                    f"DROP TRIGGER IF EXISTS {_names(schema_editor, table, 'frozen_' + event)}"
                )
        elif schema_editor.connection.vendor == "postgresql":
            q = schema_editor.quote_name
            schema_editor.execute(
                f"DROP TRIGGER IF EXISTS {_names(schema_editor, table, 'frozen')} ON {q(table)}"
            )
            schema_editor.execute(
                f"DROP TRIGGER IF EXISTS {_names(schema_editor, table, 'frozen_truncate')} ON {q(table)}"
            )
            schema_editor.execute(
                f"DROP FUNCTION IF EXISTS {_names(schema_editor, table, 'refuse_frozen')}()"
            )
            schema_editor.execute(
                f"DROP FUNCTION IF EXISTS {_names(schema_editor, table, 'refuse_truncate')}()"
            )


class ProtectSeal(migrations.operations.base.Operation):
    """Refuse any change of a frozen target's freeze date, seal and tally."""

    reversible = True
    reduces_to_sql = True

    def __init__(
        self,
        model_name: str,
        *,
        columns: tuple[str, ...] = ("frozen_at", "seal", "tally", "sealed_definition"),
        discarded_column: str = "discarded_at",
    ):
        self.model_name = model_name
        self.columns = tuple(columns)
        self.discarded_column = discarded_column

    def deconstruct(self):
        kwargs = {"columns": self.columns, "discarded_column": self.discarded_column}
        return (self.__class__.__qualname__, [self.model_name], kwargs)

    def state_forwards(self, app_label, state):
        pass

    def describe(self):
        return f"Protect the seal of frozen {self.model_name} rows"

    @property
    def migration_name_fragment(self):
        return f"protect_seal_{self.model_name.lower()}"

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        table = to_state.apps.get_model(app_label, self.model_name)._meta.db_table
        q = schema_editor.quote_name
        frozen, *_rest = self.columns
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            changed = " OR ".join(f"NEW.{q(column)} IS NOT OLD.{q(column)}" for column in self.columns)
            discarded = q(self.discarded_column)
            changed += f" OR (OLD.{discarded} IS NOT NULL AND NEW.{discarded} IS NOT OLD.{discarded})"
            schema_editor.execute(
                f"CREATE TRIGGER {_names(schema_editor, table, 'seal_protected')} "
                f"BEFORE UPDATE ON {q(table)} "
                f"FOR EACH ROW WHEN OLD.{q(frozen)} IS NOT NULL AND ({changed}) "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )
        elif vendor == "postgresql":
            # jsonb has equality, so IS DISTINCT FROM works on every column type used here.
            changed = " OR ".join(
                f"NEW.{q(column)} IS DISTINCT FROM OLD.{q(column)}" for column in self.columns
            )
            discarded = q(self.discarded_column)
            changed += (
                f" OR (OLD.{discarded} IS NOT NULL AND NEW.{discarded} IS DISTINCT FROM OLD.{discarded})"
            )
            function = _names(schema_editor, table, "protect_seal")
            schema_editor.execute(
                f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                "BEGIN\n"
                f"  IF OLD.{q(frozen)} IS NOT NULL AND ({changed}) THEN\n"
                f"    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';\n"
                "  END IF;\n"
                "  RETURN NEW;\n"
                "END $$"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {_names(schema_editor, table, 'seal_protected')} "
                f"BEFORE UPDATE ON {q(table)} "
                f"FOR EACH ROW EXECUTE FUNCTION {function}()"
            )
        else:
            raise NotImplementedError(f"no seal protection for {vendor}")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        table = from_state.apps.get_model(app_label, self.model_name)._meta.db_table
        q = schema_editor.quote_name
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {_names(schema_editor, table, 'seal_protected')}")
        else:
            schema_editor.execute(
                f"DROP TRIGGER IF EXISTS {_names(schema_editor, table, 'seal_protected')} ON {q(table)}"
            )
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {_names(schema_editor, table, 'protect_seal')}()")


class DropTriggers(migrations.operations.base.Operation):
    """Drop the triggers of a FreezeRecords or ProtectSeal operation (recreated by repeating it).

    SQLite adds most columns by copying the whole table, which its triggers on the target
    table do not survive: a migration adding fields to a sealed target drops the triggers
    first, then repeats the original operations after its changes.
    """

    reversible = True
    reduces_to_sql = True

    def __init__(self, operation):
        self.operation = operation

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.operation], {})

    def state_forwards(self, app_label, state):
        pass

    def describe(self):
        return f"Drop the triggers of: {self.operation.describe()}"

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self.operation.database_backwards(app_label, schema_editor, from_state, from_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self.operation.database_forwards(app_label, schema_editor, to_state, to_state)
