"""Case-insensitive matching that knows more than ASCII, on SQLite too.

SQLite's LIKE (behind Django's `icontains`, `iexact`, `istartswith`, `iendswith`) folds case for
ASCII letters only, so "азаттык" would never find "Радио Азаттык" on the embedded default.
PostgreSQL's UPPER() knows Unicode and needs nothing. On SQLite both sides are case-folded by
Python's `str.casefold`, registered as a function on each new connection.
"""

from django.db.backends.signals import connection_created
from django.db.models import Field, lookups

SQLITE_CASEFOLD = "netfree_casefold"


def _casefold(value):
    return value.casefold() if isinstance(value, str) else value


def register_sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_CASEFOLD, 1, _casefold, deterministic=True)


class UnicodeCaseMixin:
    def as_sqlite(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return self.as_sql(compiler, connection)
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        rhs_sql, rhs_params = self.process_rhs(compiler, connection)
        rhs_params = [_casefold(param) for param in rhs_params]
        operator = connection.operators[self.lookup_name] % rhs_sql
        return f"{SQLITE_CASEFOLD}({lhs_sql}) {operator}", (*lhs_params, *rhs_params)


class IExact(UnicodeCaseMixin, lookups.IExact):
    pass


class IContains(UnicodeCaseMixin, lookups.IContains):
    pass


class IStartsWith(UnicodeCaseMixin, lookups.IStartsWith):
    pass


class IEndsWith(UnicodeCaseMixin, lookups.IEndsWith):
    pass


def register():
    from .fields import ClauseListField

    connection_created.connect(register_sqlite_functions, dispatch_uid="netfree-casefold")
    for lookup in (IExact, IContains, IStartsWith, IEndsWith):
        Field.register_lookup(lookup)
    # JSONField has its own `icontains`; the clauses are stored as readable JSON text.
    ClauseListField.register_lookup(IContains)
