"""Benchmarks: `python -m factcheck.bench` (what `make bench` runs).

Phases, each bounded in time and written to `bench/results/<phase>.json`:

- `extraction`: the default scorer on ONE core (a pinned subprocess with every thread pool
  at 1): sentences/s, documents/s, p50/p99 for a 1,000-word article, peak RSS, artifact;
- `imports`: each Lambda handler module imported in a fresh interpreter (median of N);
- `packages`: each function's deployment package, unzipped (`infra/package_functions.py`);
- `pipeline`: 200 generated articles from `POST /documents` to claims `queued` on the
  local stack (a subprocess, as `make run` starts it), and the time to drain;
- `api`: `GET /claims` and a lease/release cycle with 16 concurrent clients.

`bench/results/report.json` holds the whole run with the machine it ran on; the report it
replaces becomes `report.previous.json`, and the table shows the ratios to it.
"""
