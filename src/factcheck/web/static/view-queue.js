// The queue view: claims of one status (or assigned to me) page by page with the API's
// cursor, or the results of a word search; each row names the article it comes from.
// An editor lands on "Awaiting approval" (claims in `reviewed`).

import { describe, request } from "./api.js";
import { claimLink, clearFieldErrors, el, formValues, latestOnly, refs, setText, show, timeEl } from "./dom.js";
import { age, formatDateTime, score, statusLabel } from "./format.js";
import * as exportCard from "./export.js";
import { attempt, can, me } from "./session.js";
import { FRESH_QUEUE, get, update } from "./store.js";

const ui = refs({
  title: "queue-title",
  filter: "queue-filter",
  status: "queue-status",
  counts: "queue-counts",
  limit: "queue-limit",
  mineBox: "queue-mine-box",
  mine: "queue-mine",
  search: "search-form",
  q: "search-q",
  scope: "search-scope",
  clear: "search-clear",
  mode: "queue-mode",
  empty: "queue-empty",
  table: "queue-table",
  rows: "queue-rows",
  first: "queue-first",
  prev: "queue-prev",
  page: "queue-page",
  next: "queue-next",
});

const loads = latestOnly(); // the rows on screen are those of the last filter, page or search
const ORDER = "highest check-worthiness first, then oldest.";
const EMPTY = Object.freeze({
  queued: "No claims are waiting in the queue.",
  in_review: "No claims are in review.",
  reviewed: "No verdicts are waiting for approval.",
  published: "No claims are published yet.",
  dismissed: "No claims are dismissed.",
});

function editor() {
  return can("edit");
}

/** "My queue" is for reviewers (editors assign, they are not assigned); exports for editors. */
function offersMine() {
  return can("review") && !editor();
}

function heading(queue) {
  if (queue.mine) return "My queue";
  if (queue.status === "reviewed" && editor()) return "Awaiting approval";
  return "Review queue";
}

function modeText(queue) {
  if (queue.mine) return `Claims assigned to you (queued or in review), ${ORDER}`;
  if (queue.status === "reviewed") return `Verdicts given, waiting for an editor's approval; ${ORDER}`;
  return `${statusLabel(queue.status || "queued")}: ${ORDER}`;
}

function renderTools() {
  const { queue, search } = get();
  show(ui.mineBox, offersMine());
  show(ui.search, can("read_claims"));
  exportCard.render();
  ui.status.value = queue.status || "queued";
  ui.status.disabled = queue.mine;
  ui.limit.value = String(queue.limit);
  ui.mine.checked = queue.mine;
  setText(ui.title, heading(queue));
  show(ui.clear, Boolean(search));
}

function renderPager(enabled) {
  const { queue } = get();
  ui.first.disabled = !enabled || queue.index === 0;
  ui.prev.disabled = !enabled || queue.index === 0;
  ui.next.disabled = !enabled || !queue.next;
}

// -- rows --------------------------------------------------------------------------------

function statusCell(claim) {
  const cell = el("td", { className: "status", attrs: { "data-label": "Status" } }, [
    el("span", { className: `badge status-${claim.status}`, text: statusLabel(claim.status) }),
  ]);
  if (claim.status === "in_review" && claim.lease_holder) {
    // Who holds it and until when, as the API says; whether it may be taken is the
    // claim view's business (its allowed_actions), not a guess from this browser's clock.
    const mine = claim.lease_holder === me();
    const who = mine ? "leased by you" : `taken by ${claim.lease_holder}`;
    const until = claim.lease_expires_at ? ` until ${formatDateTime(claim.lease_expires_at)}` : "";
    cell.append(" ", el("span", { className: mine ? "lease mine" : "lease taken", text: `${who}${until}` }));
  }
  return cell;
}

function articleText(doc, id) {
  if (!doc) return id;
  if (doc.missing) return `${id} (not available)`;
  if (doc.title) return doc.title;
  try {
    return doc.url ? new URL(doc.url).hostname : id;
  } catch {
    return id;
  }
}

function renderArticle(cell) {
  const id = cell.dataset.documentId;
  const doc = get().documents[id];
  setText(cell, articleText(doc, id));
  cell.title = doc && doc.missing ? doc.missing : `Document ${id}`;
  cell.classList.toggle("muted", !doc || Boolean(doc.missing) || !doc.title);
}

function row(claim) {
  const assignee = !claim.assignee ? "" : claim.assignee === me() ? "you" : claim.assignee;
  const article = el("td", {
    className: "article",
    attrs: { "data-label": "Article", "data-document-id": claim.document_id },
  });
  renderArticle(article);
  return el("tr", { attrs: { "data-claim-id": claim.id } }, [
    el("td", { className: "num", text: score(claim.score), attrs: { "data-label": "Score" } }),
    el("td", { className: "claim-text", attrs: { "data-label": "Claim" } }, [claimLink(claim.id, claim.text)]),
    article,
    el("td", { attrs: { "data-label": "Categories" } }, [
      el("ul", { className: "tags" }, (claim.categories || []).map((c) => el("li", { text: c }))),
    ]),
    el("td", { className: "age", attrs: { "data-label": "Age" } }, [timeEl(claim.created_at, age(claim.created_at))]),
    el("td", {
      className: assignee ? "assignee" : "assignee muted",
      text: assignee || "—",
      attrs: { "data-label": "Assigned to" },
    }),
    statusCell(claim),
  ]);
}

/** The article titles of the rows' documents, each fetched once (best effort: the id stays). */
async function fillArticles(items) {
  const known = get().documents;
  const ids = [...new Set(items.map((c) => c.document_id))].filter((id) => id && !(id in known));
  if (!ids.length) return;
  const found = {};
  await Promise.all(
    ids.map(async (id) => {
      try {
        const { data } = await request("GET", `documents/${encodeURIComponent(id)}`);
        found[id] = { title: data.title || null, url: data.url || null };
      } catch (error) {
        found[id] = { missing: describe(error) };
      }
    }),
  );
  if (!get().token) return; // signed out meanwhile: keep nothing read with that token
  update({ documents: { ...get().documents, ...found } });
  for (const cell of ui.rows.querySelectorAll("td.article[data-document-id]")) renderArticle(cell);
}

function showRows(items, emptyText, mode) {
  ui.rows.replaceChildren(...items.map(row));
  show(ui.table, items.length > 0);
  setText(ui.empty, emptyText);
  show(ui.empty, items.length === 0);
  setText(ui.mode, mode);
  fillArticles(items);
}

// -- loading -----------------------------------------------------------------------------

// The counts line says "Awaiting approval" for `reviewed`, as the status filter does.
const COUNT_LABELS = Object.freeze({ reviewed: "Awaiting approval" });

/** "Queued 12 · In review 3 · Awaiting approval 5 · ...": one cheap call (a COUNT per
 * status), refreshed with the rows; best effort, the rows do not wait for it. */
async function loadCounts(current) {
  let counts;
  try {
    counts = (await request("GET", "claims/counts")).data.counts || {};
  } catch {
    show(ui.counts, false);
    return;
  }
  if (!current()) return;
  const listed = [...ui.status.options].map((option) => option.value);
  const order = [...listed, ...Object.keys(counts).filter((s) => !listed.includes(s))];
  const parts = order
    .filter((status) => status in counts)
    .map((status) =>
      el("span", {
        className: "count",
        attrs: { "data-status": status },
        text: `${COUNT_LABELS[status] || statusLabel(status)} ${counts[status]}`,
      }),
    );
  ui.counts.replaceChildren(...parts.flatMap((part, i) => (i ? [" · ", part] : [part])));
  show(ui.counts, parts.length > 0);
}

/** The search results replace the queue's rows (no pages: the API returns the best ones). */
async function runSearch(current) {
  const { q, scope } = get().search;
  ui.q.value = q;
  ui.scope.value = scope;
  const params = new URLSearchParams({ q, limit: "50" });
  if (scope) params.set("status", scope);
  const result = await attempt(() => request("GET", `claims/search?${params}`), ui.search);
  if (!current()) return;
  if (!result) {
    // The message is next to the field: keep the queue as it was on screen.
    update({ search: null });
    show(ui.clear, false);
    return;
  }
  const items = result.data.items || [];
  const where = scope ? ` (${statusLabel(scope)})` : "";
  const count = `${items.length} ${items.length === 1 ? "claim" : "claims"}`;
  showRows(items, `No claim contains all of “${q}”${where}.`, `Search results for “${q}”${where}: ${count}, highest score first.`);
  setText(ui.page, "");
  renderPager(false);
  show(ui.clear, true);
}

export async function load() {
  const current = loads();
  renderTools();
  const { session, search, queue } = get();
  if (session && !can("read_claims")) {
    show(ui.table, false);
    show(ui.empty, true);
    setText(ui.empty, `Your role (${session.role}) cannot read the review queue; the Published view is open to everyone.`);
    renderPager(false);
    show(ui.counts, false);
    return;
  }
  loadCounts(current);
  if (search) {
    await runSearch(current);
    return;
  }
  const status = queue.status || "queued";
  const params = new URLSearchParams({ limit: String(queue.limit) });
  if (queue.mine) params.set("assigned", "me");
  else params.set("status", status);
  const cursor = queue.cursors[queue.index];
  if (cursor) params.set("cursor", cursor);
  const result = await attempt(() => request("GET", `claims?${params}`));
  if (!result || !current()) return;
  const { items, next_cursor: next } = result.data;
  update({ queue: { ...get().queue, next: next || null } });
  const empty = queue.mine ? "No claims are assigned to you." : EMPTY[status] || "No claims with this status.";
  showRows(items, empty, modeText(queue));
  setText(ui.page, `Page ${queue.index + 1}`);
  renderPager(true);
}

export async function enter(_arg, reveal) {
  reveal();
  document.title = `${heading(get().queue)} · factcheck`;
  await load();
}

// -- wiring ------------------------------------------------------------------------------

function refilter() {
  update({
    queue: {
      ...FRESH_QUEUE,
      status: ui.status.value,
      mine: offersMine() && ui.mine.checked,
      limit: Number(ui.limit.value) || FRESH_QUEUE.limit,
    },
    search: null,
  });
  ui.q.value = "";
  clearFieldErrors(ui.search);
  document.title = `${heading(get().queue)} · factcheck`;
  load();
}

function turn(index, cursors = get().queue.cursors) {
  update({ queue: { ...get().queue, index, cursors } });
  load();
}

export function init() {
  exportCard.init();
  ui.filter.addEventListener("submit", (event) => {
    event.preventDefault();
    refilter();
  });
  for (const control of [ui.status, ui.limit, ui.mine]) control.addEventListener("change", refilter);
  ui.search.addEventListener("submit", (event) => {
    event.preventDefault();
    const values = formValues(ui.search);
    update({ search: { q: values.q, scope: values.scope || "" } });
    load();
  });
  ui.clear.addEventListener("click", () => {
    update({ search: null });
    ui.q.value = "";
    clearFieldErrors(ui.search);
    load();
    ui.q.focus();
  });
  ui.next.addEventListener("click", () => {
    const { index, next, cursors } = get().queue;
    if (next) turn(index + 1, [...cursors.slice(0, index + 1), next]);
  });
  ui.prev.addEventListener("click", () => turn(Math.max(0, get().queue.index - 1)));
  ui.first.addEventListener("click", () => turn(0));
}
