from datetime import datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema, Status

from rongmei.core.auth import role_names
from rongmei.core.health import service_status
from rongmei.core.models import AuditEntry

router = Router()


class MeOut(Schema):
    id: int
    username: str
    name: str
    email: str
    department: str | None
    roles: list[str]
    is_superuser: bool


class HealthOut(Schema):
    status: str
    database: str
    queue: str


class AuditEntryOut(Schema):
    id: int
    at: datetime
    actor: str = Field(alias="actor_label")
    ip: str | None
    via: str
    action: str
    object_type: str | None
    object_id: str
    object_repr: str
    data: dict

    @staticmethod
    def resolve_object_type(entry):
        return f"{entry.content_type.app_label}.{entry.content_type.model}" if entry.content_type_id else None


class AuditFilter(FilterSchema):
    action: Annotated[str | None, FilterLookup("action__startswith")] = Field(
        None, description="action name or its prefix, e.g. 'auth.'"
    )
    actor: Annotated[str | None, FilterLookup("actor_label")] = Field(None, description="username")
    since: Annotated[datetime | None, FilterLookup("at__gte")] = None
    until: Annotated[datetime | None, FilterLookup("at__lt")] = None


@router.get("/me", response=MeOut, summary="The signed-in user")
def me(request: HttpRequest):
    user = request.user
    return {
        "id": user.pk,
        "username": user.get_username(),
        "name": user.get_full_name(),
        "email": user.email,
        "department": user.department.name if user.department_id else None,
        "roles": role_names(user),
        "is_superuser": user.is_superuser,
    }


@router.get("/health", response={200: HealthOut, 503: HealthOut}, auth=None, summary="Database and queue health")
def health(request: HttpRequest):
    ok, body = service_status()
    return Status(200 if ok else 503, body)


@router.get("/audit", response=list[AuditEntryOut], summary="The audit log, newest first (read-only)")
def audit_log(request: HttpRequest, filters: Query[AuditFilter], limit: int = 100, offset: int = 0):
    if not request.user.has_perm("core.view_auditentry"):
        raise PermissionDenied
    limit = max(1, min(limit, 500))
    entries = filters.filter(AuditEntry.objects.select_related("content_type"))
    return entries[offset : offset + limit]
