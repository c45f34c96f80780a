// node --test: dom.js's guard against out-of-order answers (run by test_web_node.py).
import assert from "node:assert/strict";
import { test } from "node:test";

import { latestOnly } from "../../../src/factcheck/web/static/dom.js";

test("only the last load started may show its answer", async () => {
  const loads = latestOnly();
  const shown = [];
  const load = async (name, ms) => {
    const current = loads();
    await new Promise((resolve) => setTimeout(resolve, ms));
    if (current()) shown.push(name);
  };
  // The queue of 20 answers after the queue of 10 that was asked for last.
  await Promise.all([load("limit 20", 30), load("limit 10", 5)]);
  assert.deepEqual(shown, ["limit 10"]);
});

test("each view's guard is its own", () => {
  const queue = latestOnly();
  const claim = latestOnly();
  const q = queue();
  claim();
  assert.equal(q(), true);
});
