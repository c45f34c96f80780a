"""The whole workflow through the built handlers, as AWS would run it: HTTP API events on a
named stage, SQS batches and the schedule event from `sam local generate-event`, each
function with the template's environment, in eu-west-1, against a moto server.

submit text and HTML -> Extract -> Store -> claims queue -> lease, source, verdict,
approve -> the public ClaimReview carries the PublicBaseUrl the stack was given.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from deploy.harness import PUBLIC_BASE_URL, Events, LambdaWorker, World, http_json
from factcheck.template import event_sources, load_template

# queue each SQS-triggered function consumes, and its batch size, from the template
SOURCES = {s.function_logical_id: s for s in event_sources(load_template())}
HTML_ARTICLE = """<!doctype html><html><head><title>Rents and wages</title></head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a> | Subscribe</nav>
<article><h1>Rents doubled while wages rose by a third</h1>
<p>Rents in the city doubled between 2015 and 2023, according to the housing office.</p>
<p>Over the same period average wages rose by 31 percent, the statistics agency said.</p>
<p>The council says it built 4,000 affordable homes last year, more than in any year since
1990.</p><p>Critics point out that the waiting list grew to 25,000 households.</p>
</article><footer>© The Daily Example</footer></body></html>"""


def run_queue(world: World, events: Events, worker: LambdaWorker, function: str) -> int:
    """Deliver the function's queue to it in batches as Lambda's poller does: receive,
    invoke, delete what the partial batch response does not name. Returns messages done."""
    source = SOURCES[function]
    sqs = world.client("sqs")
    url = world.refs[source.queue_logical_id]
    done = 0
    while True:
        messages = sqs.receive_message(
            QueueUrl=url,
            MaxNumberOfMessages=min(source.batch_size, 10),
            AttributeNames=["All"],
            WaitTimeSeconds=0,
        ).get("Messages", [])
        if not messages:
            return done
        response = worker.invoke(events.sqs(messages, world.queue_arns[source.queue_logical_id]))
        assert set(response) == {"batchItemFailures"}, response
        assert response["batchItemFailures"] == [], response
        for message in messages:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        done += len(messages)


def call(api: LambdaWorker, events: Events, method: str, path: str, expect: int, **kw: Any) -> Any:
    response = api.invoke(events.http(method, path, **kw))
    assert response["statusCode"] == expect, (method, path, response.get("body", "")[:500])
    return http_json(response)


@pytest.fixture(scope="module")
def api(start: Callable[..., LambdaWorker]) -> LambdaWorker:
    return start("ApiFunction")


def test_a_submitted_article_is_extracted_reviewed_and_published_with_the_public_base_url(
    world: World,
    events: Events,
    api: LambdaWorker,
    start: Callable[..., LambdaWorker],
    seed_text: str,
) -> None:
    t = world.tokens
    # GIVEN an article submitted as text and one as HTML, on the named stage
    health = call(api, events, "GET", "/healthz", 200)
    assert health["status"] == "ok"
    text_doc = call(
        api,
        events,
        "POST",
        "/documents",
        201,
        token=t["sam-submitter"],
        body={"title": "Op-ed", "text": seed_text, "url": "https://example.com/a"},
    )
    html_doc = call(
        api,
        events,
        "POST",
        "/documents",
        201,
        token=t["sam-submitter"],
        body={"html": HTML_ARTICLE, "url": "https://example.com/b"},
    )
    # WHEN the documents and claims queues are delivered to Extract and Store
    extract, store = start("ExtractFunction"), start("StoreFunction")
    assert run_queue(world, events, extract, "ExtractFunction") == 2
    assert run_queue(world, events, store, "StoreFunction") > 0
    # THEN both documents are extracted and their claims wait in the review queue
    for doc in (text_doc, html_doc):
        got = call(api, events, "GET", f"/documents/{doc['id']}", 200, token=t["sam-submitter"])
        assert got["status"] == "extracted", got
    queue = call(
        api, events, "GET", "/claims", 200, token=t["rita-reviewer"], query="status=queued&limit=50"
    )
    assert {c["document_id"] for c in queue["items"]} == {text_doc["id"], html_doc["id"]}

    # WHEN a reviewer leases the top claim, adds a source and a verdict, and an editor approves
    top = queue["items"][0]["id"]
    call(api, events, "POST", f"/claims/{top}/lease", 200, token=t["rita-reviewer"])
    call(
        api,
        events,
        "POST",
        f"/claims/{top}/sources",
        201,
        token=t["rita-reviewer"],
        body={"url": "https://example.org/report", "title": "A report"},
    )
    call(
        api,
        events,
        "POST",
        f"/claims/{top}/verdict",
        200,
        token=t["rita-reviewer"],
        body={"rating": "mostly true", "summary": "Broadly supported by the report."},
    )
    approved = call(api, events, "POST", f"/claims/{top}/approve", 200, token=t["eve-editor"])
    assert approved["status"] == "published"

    # THEN the public ClaimReview and the feed carry the stack's PublicBaseUrl
    review = call(api, events, "GET", f"/claim-reviews/{top}", 200)
    assert review["@type"] == "ClaimReview"
    assert review["@id"].startswith(PUBLIC_BASE_URL + "/"), review["@id"]
    assert review["url"].startswith(PUBLIC_BASE_URL + "/"), review["url"]
    feed = call(api, events, "GET", "/claim-reviews", 200)
    assert [r["@id"] for r in feed["dataFeedElement"]] == [review["@id"]]
    # AND with PublicBaseUrl left empty they start with the URL the request came to
    by_request = start("ApiFunction", FACTCHECK_PUBLIC_BASE_URL="")
    host = "abc123.execute-api.eu-west-1.amazonaws.com"
    same = call(by_request, events, "GET", f"/claim-reviews/{top}", 200, host=host)
    assert same["@id"] == review["@id"].replace(PUBLIC_BASE_URL, f"https://{host}/{events.stage}")

    # AND the scheduled sweeper finds nothing stuck, and webhooks have nothing to deliver
    sweeper = start("SweeperFunction")
    assert sweeper.invoke(events.schedule()) == {"requeued": 0, "failed": 0}
    webhooks = start("DeliverWebhooksFunction")
    assert run_queue(world, events, webhooks, "DeliverWebhooksFunction") == 0


def test_the_named_stage_check_fails_when_the_stage_prefix_reaches_the_app(
    events: Events, api: LambdaWorker
) -> None:
    # GIVEN the app behind bare apig-wsgi, which passes rawPath /<stage>/... unchanged
    response = api.invoke(events.http("GET", "/healthz"), raw_wsgi=True)
    # THEN the route is not found: the check above (200 on the named stage) would fail
    assert response["statusCode"] == 404


def test_the_region_check_fails_when_the_functions_look_in_us_east_1(
    world: World, events: Events, start: Callable[..., LambdaWorker]
) -> None:
    # GIVEN the API function looking for its resources in us-east-1 (the old silent default)
    # THEN its cold start fails: the stack's cursor secret is not there
    cold = start("ApiFunction", FACTCHECK_REGION="us-east-1")
    assert "ResourceNotFound" in cold.ready.get("init_error", ""), cold.ready
    # AND given the secret another way, every authenticated request is a 503: the run above
    # (200s from eu-west-1's table) would fail
    api = start(
        "ApiFunction",
        FACTCHECK_REGION="us-east-1",
        FACTCHECK_CURSOR_SECRET_ID="",
        FACTCHECK_CURSOR_SECRET="deploy-check-cursor-secret-0123456789",
    )
    response = api.invoke(events.http("GET", "/claims", token=world.tokens["rita-reviewer"]))
    assert response["statusCode"] == 503, response
    assert http_json(response)["code"] == "storage_unavailable"
