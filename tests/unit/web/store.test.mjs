// node --test: the page's store (run by test_web_node.py). sessionStorage is a stand-in.
import assert from "node:assert/strict";
import { test } from "node:test";

const saved = new Map([["factcheck.token", "fct_from_an_earlier_load"]]);
globalThis.sessionStorage = {
  getItem: (key) => (saved.has(key) ? saved.get(key) : null),
  setItem: (key, value) => saved.set(key, String(value)),
  removeItem: (key) => saved.delete(key),
};
const { FRESH_QUEUE, get, update } = await import("../../../src/factcheck/web/static/store.js");

test("a reload starts with the token this tab kept", () => {
  assert.equal(get().token, "fct_from_an_earlier_load");
  assert.deepEqual(get().queue, FRESH_QUEUE);
});

test("a snapshot cannot be changed in place, not even deep inside", () => {
  update({ queue: { ...FRESH_QUEUE, cursors: [null, "abc"] } });
  const snapshot = get();
  assert.throws(() => {
    snapshot.queue.index = 3;
  }, TypeError);
  assert.throws(() => {
    snapshot.queue.cursors.push("def");
  }, TypeError);
  assert.equal(get().queue.index, 0);
});

test("an update makes a new snapshot and leaves the old one as it was", () => {
  const before = get();
  update({ search: { q: "nato", scope: "" } });
  assert.equal(before.search, null);
  assert.deepEqual(get().search, { q: "nato", scope: "" });
  assert.equal(get().queue, before.queue); // untouched keys are shared, not copied
});

test("an unknown key is refused (a typo cannot add state on the side)", () => {
  assert.throws(() => update({ qeue: {} }), /unknown key qeue/);
});

test("the token is kept in, and removed from, this tab's storage with the state", () => {
  update({ token: "fct_new" });
  assert.equal(saved.get("factcheck.token"), "fct_new");
  update({ token: null });
  assert.equal(saved.has("factcheck.token"), false);
  assert.equal(get().token, null);
});
