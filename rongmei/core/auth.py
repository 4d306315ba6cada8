"""API authentication: Wagtail's bearer tokens, looked up on a fast path.

Every API request authenticates, so this is the hottest code of the API.
Building the token-user-department query with the ORM costs ~0.8 ms of
Python per request, twenty times what SQLite needs to answer it. Here the
same query is prepared once per process — its SQL from the models' own
metadata, its value converters from the database backend, exactly what the
ORM would apply — and each request only runs it and builds the instances
with ``Model.from_db``. bench/api_rps.py measures the difference.

The rules are those of Wagtail's ``BearerTokenAuth``, unchanged: the digest
must match under the current or a fallback secret key, the token must not be
revoked, the user must be active, and ``last_used_at`` is refreshed at most
once per ``WAGTAILAPI_TOKEN_LAST_USED_INTERVAL``.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from wagtail.api.v3.auth import BearerTokenAuth
from wagtail.models import APIToken

from rongmei.core.models import Department, User


@dataclass(frozen=True)
class _Part:
    """The columns of one model in the joined row, and how to convert them."""

    model: type
    attnames: list[str]
    start: int
    converters: list[list]
    columns: list

    def build(self, row):
        values = list(row[self.start : self.start + len(self.attnames)])
        for index, converters in enumerate(self.converters):
            for convert in converters:
                values[index] = convert(values[index], self.columns[index], connection)
        if values[0] is None:  # a LEFT JOIN found nothing
            return None
        return self.model.from_db(connection.alias, self.attnames, values)


def _part(model, alias: str, fields, start: int) -> tuple[_Part, list[str]]:
    quote = connection.ops.quote_name
    columns = [field.get_col(alias) for field in fields]
    converters = [connection.ops.get_db_converters(column) + column.get_db_converters(connection) for column in columns]
    part = _Part(model, [field.attname for field in fields], start, converters, columns)
    return part, [f"{alias}.{quote(field.column)}" for field in fields]


@lru_cache(maxsize=8)
def _plan(digests: int):
    quote = connection.ops.quote_name
    token_fields = [APIToken._meta.get_field(name) for name in ("id", "user", "last_used_at")]
    token, token_sql = _part(APIToken, "t", token_fields, 0)
    user, user_sql = _part(User, "u", User._meta.concrete_fields, len(token_fields))
    department, department_sql = _part(
        Department, "d", Department._meta.concrete_fields, len(token_fields) + len(user.attnames)
    )
    # Built only from model metadata; the digests are bound parameters.
    sql = (
        f"SELECT {', '.join(token_sql + user_sql + department_sql)} "  # noqa: S608
        f"FROM {quote(APIToken._meta.db_table)} t "
        f"JOIN {quote(User._meta.db_table)} u ON u.{quote(User._meta.pk.column)} = t.{quote('user_id')} "
        f"LEFT JOIN {quote(Department._meta.db_table)} d "
        f"ON d.{quote(Department._meta.pk.column)} = u.{quote('department_id')} "
        f"WHERE t.{quote('key_hash')} IN ({', '.join(['%s'] * digests)}) AND t.{quote('revoked_at')} IS NULL"
    )
    return sql, token, user, department


@lru_cache(maxsize=1)
def _roles_sql() -> str:
    quote = connection.ops.quote_name
    through = User.groups.through._meta
    group = User.groups.field.related_model._meta
    return (
        f"SELECT g.{quote('name')} FROM {quote(group.db_table)} g "  # noqa: S608 - model metadata only
        f"JOIN {quote(through.db_table)} ug ON ug.{quote('group_id')} = g.{quote(group.pk.column)} "
        f"WHERE ug.{quote('user_id')} = %s ORDER BY g.{quote('name')}"
    )


def role_names(user: User) -> list[str]:
    """The names of the user's roles (groups), sorted, for API answers."""
    with connection.cursor() as cursor:
        cursor.execute(_roles_sql(), [user.pk])
        return [name for (name,) in cursor.fetchall()]


def user_for_token(token: str) -> tuple[APIToken | None, User | None]:
    """The live token and its user (department loaded) for a bearer token."""
    digests = APIToken.candidate_key_hashes(token)
    sql, token_part, user_part, department_part = _plan(len(digests))
    with connection.cursor() as cursor:
        cursor.execute(sql, digests)
        row = cursor.fetchone()
    if row is None:
        return None, None
    api_token, user = token_part.build(row), user_part.build(row)
    user.department = department_part.build(row)
    api_token.user = user
    return api_token, user


class TokenAuth(BearerTokenAuth):
    def authenticate(self, request, token: str):
        api_token, user = user_for_token(token)
        # As upstream: a bad token, or an inactive user, leaves the request
        # anonymous even if a session cookie came with it.
        request.user = user if user is not None and user.is_active else AnonymousUser()
        if not request.user.is_authenticated:
            return None
        self._touch_last_used(api_token)
        return api_token
