"""All URLs of the moderation area: each feature's pages (``urlpatterns``, each feature under
``/moderation/<feature>/``; the public Netiquette page under ``/netiquette/``) and its API
(``api_urlpatterns``, below ``/api/v1/``). A feature's namespace is its package name; its
API's is ``<name>_api``."""

from django.urls import include
from django.urls import path

from moderation.actions import urls as actions
from moderation.blocks import urls as blocks
from moderation.evidence import urls as evidence
from moderation.flags import urls as flags
from moderation.inbox import urls as inbox
from moderation.ingestion import urls as ingestion
from moderation.netiquette import urls as netiquette
from moderation.privacy import urls as privacy
from moderation.replies import urls as replies
from moderation.service_levels import urls as service_levels

FEATURES = (
    inbox,
    replies,
    actions,
    netiquette,
    evidence,
    blocks,
    flags,
    service_levels,
    privacy,
    ingestion,
)

urlpatterns = [path("", include((feature.urlpatterns, feature.app_name))) for feature in FEATURES]

api_urlpatterns = [
    path("", include((feature.api_urlpatterns, f"{feature.app_name}_api"))) for feature in FEATURES
]
