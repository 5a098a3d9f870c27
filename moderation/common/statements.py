"""Statements compiled once and run many times with different values.

Django builds a statement's SQL anew on every evaluation of a QuerySet: for the inbox list,
whose SQL the database answers in two or three milliseconds, building it (and creating the
rows' model instances) cost as much again. A statement whose *shape* recurs (the same
filters with other values, the next page after another key) is built here once: the values
that change are ``Slot`` expressions, compiled as placeholders, and ``Statement.rows`` fills
them in on each run.

The shape is the caller's to name (``compiled``'s key): everything the SQL text depends on
(which filters are set, ids written into the text, the page size), never the values in slots.
Django's own converters run on the rows (JSON, and SQLite's dates), as in ``values_list``."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from collections.abc import Hashable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from threading import Lock
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField
from django.db.models import Expression
from django.db.models import F
from django.db.models import Field
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler

# Shapes kept per process; the least recently used goes first. A shape names the reader's
# channel ids, so a busy authority has some hundreds.
MAX_STATEMENTS = 512


@dataclass(frozen=True)
class _Placeholder:
    """Stands in a compiled statement's parameters for the value of slot ``name``."""

    name: str
    field: Field


class Slot(Expression):
    """A value given when the statement runs (``Statement.rows(values)``), not when it is
    built: compiled as a placeholder whose value is prepared for the database as
    ``output_field`` prepares it (a date for SQLite, say)."""

    def __init__(self, name: str, output_field: Field) -> None:
        super().__init__(output_field=output_field)
        self.name = name

    def as_sql(  # type: ignore[override]
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: object
    ) -> tuple[str, list[object]]:
        return "%s", [_Placeholder(self.name, self.output_field)]

    def __repr__(self) -> str:
        return f"Slot({self.name!r})"


class Contains(Expression):
    """``column`` contains the slot's text, ignoring case, written as Django writes
    ``__icontains`` with a plain value (``UPPER(col::text) LIKE UPPER(%s)`` on PostgreSQL,
    which the trigram indexes serve): a lookup with an expression on its right-hand side
    would build the pattern in SQL instead, out of the indexes' reach. The slot's value is
    the pattern (``like_pattern``)."""

    def __init__(self, column: str, slot: Slot) -> None:
        super().__init__(output_field=BooleanField())
        # An F until the query resolves it into its column.
        self.column: Any = F(column)
        self.slot: Any = slot

    def get_source_expressions(self) -> list[Any]:
        return [self.column, self.slot]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        self.column, self.slot = exprs

    def as_sql(  # type: ignore[override]
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: object
    ) -> tuple[str, list[object]]:
        column, column_params = compiler.compile(self.column)
        value, value_params = compiler.compile(self.slot)
        lhs = connection.ops.lookup_cast("icontains") % column
        rhs = connection.operators["icontains"] % value  # type: ignore[attr-defined]
        return f"{lhs} {rhs}", [*column_params, *value_params]


def like_pattern(text: str) -> str:
    """The value of a ``Contains`` slot for ``text``: escaped and between wildcards, as
    Django makes it for ``__icontains``."""
    return f"%{connection.ops.prep_for_like_query(text)}%"


@dataclass(frozen=True)
class Statement:
    sql: str
    params: tuple[object, ...]
    # Per column: Django's converters of its value (none for most on PostgreSQL).
    converters: tuple[tuple[tuple[Callable[..., Any], ...], Expression], ...]

    def rows(self, values: Mapping[str, object]) -> list[tuple[Any, ...]]:
        """Run the statement with ``values`` in its slots."""
        params: list[Any] = [
            param.field.get_db_prep_value(values[param.name], connection)
            if isinstance(param, _Placeholder)
            else param
            for param in self.params
        ]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            fetched = cursor.fetchall()
        if not any(functions for functions, _ in self.converters):
            return fetched
        return [self._converted(row) for row in fetched]

    def _converted(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        values = list(row)
        for index, (functions, expression) in enumerate(self.converters):
            for convert in functions:
                values[index] = convert(values[index], expression, connection)
        return tuple(values)


_statements: OrderedDict[Hashable, Statement] = OrderedDict()
_lock = Lock()


def compiled(key: Hashable, build: Callable[[], QuerySet[Any, Any]]) -> Statement:
    """The statement of shape ``key``: ``build()``'s QuerySet (``values_list``), compiled
    the first time the shape is asked for. Raises ``EmptyResultSet`` where Django would
    answer without asking the database."""
    key = (connection.vendor, key)
    with _lock:
        statement = _statements.get(key)
        if statement is not None:
            _statements.move_to_end(key)
            return statement
    statement = _compile(build())
    with _lock:
        _statements[key] = statement
        while len(_statements) > MAX_STATEMENTS:
            _statements.popitem(last=False)
    return statement


def _compile(queryset: QuerySet[Any, Any]) -> Statement:
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    columns = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
    converters = compiler.get_converters(columns)
    return Statement(
        sql=sql,
        params=tuple(params),
        converters=tuple(
            (tuple(converters[i][0]) if i in converters else (), column)
            for i, column in enumerate(columns)
        ),
    )


def forget_statements() -> None:
    """Drop every compiled statement (tests that change what the SQL depends on)."""
    with _lock:
        _statements.clear()
