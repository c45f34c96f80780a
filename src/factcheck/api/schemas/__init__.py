"""marshmallow schemas of the HTTP layer (the domain itself is pydantic), one module per
resource; every schema is importable from here.

Input schemas refuse unknown fields (marshmallow's default), so a typo is a 422 that names
the field rather than a silently ignored value. Output schemas mirror the domain models;
nullable fields say so, so the OpenAPI document describes exactly what is sent.
"""

from __future__ import annotations

from factcheck.api.schemas.base import (
    HTTP_SCHEMES,
    MAX_URL,
    HealthSchema,
    not_blank,
    text_field,
    url_field,
)
from factcheck.api.schemas.claim_review import (
    ClaimLdSchema,
    ClaimReviewFeedLdSchema,
    ClaimReviewLdSchema,
    CreativeWorkLdSchema,
    FeedQuerySchema,
    OrganizationLdSchema,
    RatingLdSchema,
)
from factcheck.api.schemas.claims import (
    CheckedBeforeSchema,
    ClaimCountsSchema,
    ClaimDetailSchema,
    ClaimListSchema,
    ClaimMatchSchema,
    ClaimPageSchema,
    ClaimQuerySchema,
    ClaimSchema,
    EventSchema,
    HistorySchema,
    QuantitySchema,
    SourceSchema,
    VerdictSchema,
)
from factcheck.api.schemas.documents import (
    DocumentCreateSchema,
    DocumentRefSchema,
    DocumentSchema,
)
from factcheck.api.schemas.reviews import (
    ID_PATTERN,
    MAX_BULK,
    AssignSchema,
    BulkItemSchema,
    BulkResultSchema,
    BulkSchema,
    DismissSchema,
    DuplicateOfSchema,
    ExportQuerySchema,
    SearchQuerySchema,
    SendBackSchema,
    SourceCreateSchema,
    VerdictCreateSchema,
)
from factcheck.api.schemas.webhooks import (
    DeliveryListSchema,
    DeliveryQuerySchema,
    DeliverySchema,
    WebhookCreateSchema,
    WebhookListSchema,
    WebhookSchema,
)

__all__ = [
    "HTTP_SCHEMES",
    "ID_PATTERN",
    "MAX_BULK",
    "MAX_URL",
    "AssignSchema",
    "BulkItemSchema",
    "BulkResultSchema",
    "BulkSchema",
    "CheckedBeforeSchema",
    "ClaimCountsSchema",
    "ClaimDetailSchema",
    "ClaimLdSchema",
    "ClaimListSchema",
    "ClaimMatchSchema",
    "ClaimPageSchema",
    "ClaimQuerySchema",
    "ClaimReviewFeedLdSchema",
    "ClaimReviewLdSchema",
    "ClaimSchema",
    "CreativeWorkLdSchema",
    "DeliveryListSchema",
    "DeliveryQuerySchema",
    "DeliverySchema",
    "DismissSchema",
    "DocumentCreateSchema",
    "DocumentRefSchema",
    "DocumentSchema",
    "DuplicateOfSchema",
    "EventSchema",
    "ExportQuerySchema",
    "FeedQuerySchema",
    "HealthSchema",
    "HistorySchema",
    "OrganizationLdSchema",
    "QuantitySchema",
    "RatingLdSchema",
    "SearchQuerySchema",
    "SendBackSchema",
    "SourceCreateSchema",
    "SourceSchema",
    "VerdictCreateSchema",
    "VerdictSchema",
    "WebhookCreateSchema",
    "WebhookListSchema",
    "WebhookSchema",
    "not_blank",
    "text_field",
    "url_field",
]
