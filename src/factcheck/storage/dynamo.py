"""`DynamoRepository`: every storage port (`factcheck.storage.ports`) on one DynamoDB table.

A thin composition of the parts, one job each (docs/storage.md, "Layout"):

| module          | holds                                                             |
|-----------------|-------------------------------------------------------------------|
| `client`        | the boto3 client, the process lock, ClientError -> domain errors  |
| `expressions`   | expression name/value placeholders                                |
| `keys`          | every key and index key of the single table                      |
| `paging`        | signed-cursor pages of an index partition                         |
| `documents`     | documents and their status machine                                |
| `claims`        | claims: first write, reads, listings, persisting a transition     |
| `counts`        | claims per status (COUNT Queries of the queue index, no Scan)     |
| `transitions`   | lease ... mark_duplicate: the lifecycle decides, `claims` persists |
| `indexes`       | matching (LSH) and search (term) indexes                          |
| `webhooks`      | webhooks, delivery attempts, acknowledgements                     |
| `outbox`        | webhook events written with their change, until queued and sent   |
| `users`         | users by token hash and by name                                   |
| `external`      | other publishers' ClaimReviews, indexed for matching              |
| `backup`        | admin export / import                                             |
| `integrity`     | `factcheck verify --repair`: index keys back in line, orphans out |

The rules of a claim's review are not here: they are `factcheck.domain.lifecycle`.
"""

from __future__ import annotations

from factcheck.settings import Settings
from factcheck.storage.backup import Backup
from factcheck.storage.base import Store
from factcheck.storage.counts import ClaimCounts
from factcheck.storage.documents import Documents
from factcheck.storage.external import ExternalChecks
from factcheck.storage.indexes import Indexes
from factcheck.storage.integrity import Integrity
from factcheck.storage.outbox import Outbox
from factcheck.storage.sentences import Sentences
from factcheck.storage.transitions import Transitions
from factcheck.storage.users import Users
from factcheck.storage.webhooks import Webhooks


class DynamoRepository(
    Documents,
    Sentences,
    Transitions,
    ClaimCounts,
    Indexes,
    ExternalChecks,
    Webhooks,
    Outbox,
    Integrity,
    Users,
    Backup,
):
    """The storage contract (`factcheck.storage.ports.Repository`) on DynamoDB."""

    def __init__(self, settings: Settings, *, query_page_size: int | None = None) -> None:
        """`query_page_size` caps the items of each Query page when a whole partition is
        read (history, document claims); None leaves DynamoDB's 1 MB pages."""
        Store.__init__(self, settings, query_page_size=query_page_size)
