"""moto's package folder is listed once, not on every request.

To route a request by host, moto lists its package folder (`os.listdir` and a `stat` per
entry, about 0.45 ms) on every request; the listing never changes while the process runs.
"""

from __future__ import annotations

import functools

from moto import backends as moto_backends


def install() -> None:
    listing = tuple(moto_backends.list_of_moto_modules())
    moto_backends.list_of_moto_modules = functools.cache(lambda: listing)
