// node --test: the page's pure formatting module (run by test_web_node.py).
import assert from "node:assert/strict";
import { test } from "node:test";

import { age, formatDateTime, formatValue, quantityText, statusLabel } from "../../../src/factcheck/web/static/format.js";

const AT = "2026-12-01T09:05:00.123456+00:00";

test("an event detail's time is written like every other time on the page", () => {
  assert.equal(formatValue(AT), formatDateTime(AT));
  assert.notEqual(formatValue(AT), AT);
  assert.doesNotMatch(formatValue("2026-12-01T09:05:00Z"), /T\d\d:/);
});

test("a detail that is not a time is shown as it came", () => {
  for (const value of ["duplicate", "c0123456789abcdef", "2026", "2026-12-01 was a Tuesday"]) {
    assert.equal(formatValue(value), value);
  }
});

test("an unreadable time is shown as it came, a missing one as nothing", () => {
  assert.equal(formatDateTime("not a time"), "not a time");
  assert.equal(formatDateTime(null), "");
});

test("the age of a claim is counted in minutes, hours and days", () => {
  const now = Date.parse("2026-12-01T12:00:00Z");
  const cases = [
    ["2026-12-01T11:59:30Z", "just now"],
    ["2026-12-01T11:15:00Z", "45 min"],
    ["2026-12-01T07:00:00Z", "5 h"],
    ["2026-11-28T12:00:00Z", "3 d"],
    ["2026-12-01T13:00:00Z", "just now"],
  ];
  for (const [iso, expected] of cases) assert.equal(age(iso, now), expected, iso);
});

test("quantities and statuses are written in words", () => {
  assert.equal(quantityText({ kind: "ratio", low: 3, high: 3, unit: null }), "ratio 3:1");
  assert.equal(quantityText({ kind: "multiplier", low: 2, high: 3, unit: null }), "multiplier 2–3×");
  assert.equal(quantityText({ kind: "percent", low: 12.5, high: 12.5, unit: "%" }), "percent 12.5 %");
  assert.equal(statusLabel("in_review"), "In review");
  assert.equal(statusLabel("something_new"), "something_new");
});
