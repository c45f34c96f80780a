// node --test: how the page words a document's status and its sentences (test_web_node.py).
import assert from "node:assert/strict";
import { test } from "node:test";

import { byline, documentStatus, languageName, sentenceFate } from "../../../src/factcheck/web/static/document-parts.js";

test("a document in another language says which and that it has no claims", () => {
  const { label, detail } = documentStatus({ status: "unsupported_language", language: "de", claim_count: 0 });
  assert.equal(label, "Language not supported");
  assert.match(detail, /^Written in German \(de\): .* no claims/);
});

test("a document with no article text says so", () => {
  const { label, detail } = documentStatus({ status: "no_text", language: null, claim_count: 0 });
  assert.equal(label, "No article text");
  assert.match(detail, /No readable article text/);
});

test("an extracted document counts its claims and names its language", () => {
  assert.equal(documentStatus({ status: "extracted", language: "en", claim_count: 1 }).detail, "1 claim · English");
  assert.equal(documentStatus({ status: "extracting", language: "en", claim_count: 7 }).detail, "7 claims · English");
  assert.equal(documentStatus({ status: "received", language: null, claim_count: null }).detail, "");
});

test("a language code without a name, or a malformed one, is shown as it came", () => {
  assert.equal(languageName(""), "");
  assert.equal(languageName("not a code!"), "not a code!");
});

test("the byline names the author and the site when the page gave them", () => {
  assert.equal(byline({ author: "Bob Yirka", site_name: "Phys.org" }), "by Bob Yirka · Phys.org");
  assert.equal(byline({ author: null, site_name: "Reuters" }), "Reuters");
  assert.equal(byline({}), "");
});

test("each sentence says whether it became a claim, was gated (and why) or fell below the line", () => {
  assert.equal(sentenceFate({ selected: true, gate: null }), "claim");
  assert.equal(sentenceFate({ selected: false, gate: "a byline" }), "left out: a byline");
  assert.equal(sentenceFate({ selected: false, gate: null }), "below the line");
});
