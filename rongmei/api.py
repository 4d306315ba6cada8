"""The REST API under /api/v1. Each app contributes a router."""

from ninja import NinjaAPI

from rongmei import __version__
from rongmei.archive.api import router as archive_router
from rongmei.core.api import router as core_router
from rongmei.core.auth import TokenAuth
from rongmei.distribution.api import router as distribution_router
from rongmei.interaction.api import router as interaction_router
from rongmei.performance.api import router as performance_router
from rongmei.proofreading.api import router as proofreading_router
from rongmei.stories.api import router as stories_router
from rongmei.versions.api import router as versions_router

api = NinjaAPI(
    title="Rongmei API",
    version=__version__,
    description=(
        "融媒 Rongmei REST API. Authenticate with `Authorization: Bearer <token>`; "
        "create and revoke tokens in the admin under 设置 → API 令牌."
    ),
    urls_namespace="api-v1",
    auth=TokenAuth(),
    openapi_url="/openapi.json",
    docs_url="/docs",
)
api.add_router("/", core_router)
api.add_router("/", stories_router)
api.add_router("/proofreading", proofreading_router)
api.add_router("/", archive_router)
api.add_router("/", versions_router)
api.add_router("/", distribution_router)
api.add_router("/", performance_router)
api.add_router("/", interaction_router)
