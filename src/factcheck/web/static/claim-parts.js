// The parts of the claim view that list things: the highlighted sentence, "Checked
// before" and similar claims, sources, the verdict and the history. Each renders from
// the claim the API returned; none decides what the user may do (the caller passes the
// server's allowed_actions in).

import { describe, request, claimPath } from "./api.js";
import { claimLink, el, link, refs, setText, show, timeEl } from "./dom.js";
import { formatDateTime, formatValue, quantityText, statusLabel, words } from "./format.js";

const ui = refs({
  beforeCard: "checked-before-card",
  beforeList: "checked-before-list",
  matchesCard: "matches-card",
  matches: "claim-matches",
  sourcesEmpty: "sources-empty",
  sources: "claim-sources",
  verdictView: "verdict-view",
  verdictEmpty: "verdict-empty",
  verdictRating: "verdict-rating",
  verdictBy: "verdict-by",
  verdictSummary: "verdict-summary",
  verdictReviewed: "verdict-claim-reviewed",
  history: "claim-history",
});

/** The sentence as text nodes with each quantity's `text` wrapped in <mark>. */
export function highlighted(sentence, quantities) {
  const ranges = [];
  const lower = sentence.toLowerCase();
  for (const quantity of quantities || []) {
    const needle = String(quantity.text || "");
    if (!needle) continue;
    let from = 0;
    while (from <= sentence.length) {
      let at = sentence.indexOf(needle, from);
      if (at < 0) at = lower.indexOf(needle.toLowerCase(), from);
      if (at < 0) break;
      const end = at + needle.length;
      if (!ranges.some((r) => at < r.end && end > r.start)) {
        ranges.push({ start: at, end, quantity });
        break;
      }
      from = at + 1;
    }
  }
  ranges.sort((a, b) => a.start - b.start);
  const nodes = [];
  let pos = 0;
  for (const r of ranges) {
    if (r.start > pos) nodes.push(document.createTextNode(sentence.slice(pos, r.start)));
    nodes.push(el("mark", { text: sentence.slice(r.start, r.end), attrs: { title: quantityText(r.quantity) } }));
    pos = r.end;
  }
  if (pos < sentence.length) nodes.push(document.createTextNode(sentence.slice(pos)));
  return nodes;
}

function checkedItem(claim, before, index, markDuplicate) {
  const textId = `checked-before-text-${index}`;
  const published = before.published_at ? `, published ${formatDateTime(before.published_at)}` : "";
  // Another publisher's check (imported ClaimReview): their words, their page, no claim of ours.
  const quoted = before.external ? before.text : claimLink(before.claim_id, before.text);
  const links = before.external
    ? [link(before.url, `Fact check by ${before.publisher}`)]
    : [link(before.url, "Public fact-check page"), " · ", link(before.claim_review_url, "ClaimReview JSON-LD")];
  const item = el("li", { className: "checked-item", attrs: { "data-claim-id": before.claim_id } }, [
    el("blockquote", { attrs: { id: textId } }, [quoted]),
    el("p", {}, [
      el("span", { className: "publisher", text: `Checked before by ${before.publisher}: ` }),
      el("span", { className: "badge rating", text: before.rating }),
      " ",
      el("span", { className: "muted", text: `similarity ${Number(before.similarity).toFixed(2)}${published}` }),
    ]),
    el("p", { className: "verdict-summary", text: before.summary || "" }),
    el("p", { className: "links" }, links),
  ]);
  if (before.external) return item;
  if (claim.duplicate_of === before.claim_id) {
    item.append(el("p", { className: "ok", text: "This claim is marked as a duplicate of it." }));
  } else if (markDuplicate) {
    const button = el("button", {
      text: "Mark as duplicate of this",
      className: "secondary",
      attrs: { type: "button", "data-action": "mark_duplicate", "aria-describedby": textId },
    });
    button.addEventListener("click", () => markDuplicate(before.claim_id));
    item.append(el("div", { className: "actions" }, [button]));
  }
  return item;
}

/** A match names only the claim id: fetch its text and current status (best effort). */
async function fillMatch(id, anchor, status) {
  try {
    const { data } = await request("GET", claimPath(id));
    anchor.textContent = data.text;
    status.textContent = statusLabel(data.status);
    status.className = `badge status-${data.status}`;
  } catch (error) {
    anchor.append(` (not available: ${describe(error)})`);
  }
}

function matchItem(match) {
  const anchor = claimLink(match.claim_id, `claim ${match.claim_id}`);
  const status = el("span", { className: `badge status-${match.status}`, text: statusLabel(match.status) });
  fillMatch(match.claim_id, anchor, status);
  return el("li", { attrs: { "data-claim-id": match.claim_id } }, [
    anchor,
    " ",
    status,
    el("span", { className: "muted small", text: ` similarity ${Number(match.similarity).toFixed(2)}` }),
  ]);
}

/**
 * Earlier published claims that say the same thing, and other (unpublished) matches.
 * `markDuplicate(originalId)` is given only when the API allows `mark_duplicate`.
 */
export function renderCheckedBefore(claim, markDuplicate) {
  const before = claim.checked_before || [];
  ui.beforeList.replaceChildren(...before.map((b, i) => checkedItem(claim, b, i, markDuplicate)));
  show(ui.beforeCard, before.length > 0);
  const published = new Set(before.map((b) => b.claim_id));
  const others = (claim.matches || []).filter(
    (m) => !published.has(m.claim_id) && m.document_id !== "external",
  );
  ui.matches.replaceChildren(...others.map(matchItem));
  show(ui.matchesCard, others.length > 0);
}

export function renderSources(claim) {
  const sources = claim.sources || [];
  ui.sources.replaceChildren(
    ...sources.map((s) => {
      const item = el("li", {}, [link(s.url, s.title || s.url)]);
      if (s.quote) item.append(el("blockquote", { className: "source-quote" }, [el("p", { text: s.quote })]));
      if (s.note) item.append(el("p", { className: "note", text: s.note }));
      item.append(el("p", { className: "muted small" }, [`added by ${s.added_by}, `, timeEl(s.added_at)]));
      return item;
    }),
  );
  show(ui.sourcesEmpty, sources.length === 0);
}

export function renderVerdict(claim) {
  const v = claim.verdict;
  show(ui.verdictView, Boolean(v));
  show(ui.verdictEmpty, !v);
  if (!v) return;
  setText(ui.verdictRating, v.rating);
  ui.verdictBy.replaceChildren(`by ${v.reviewer}, `, timeEl(v.given_at));
  setText(ui.verdictSummary, v.summary);
  setText(ui.verdictReviewed, v.claim_reviewed ? `Claim reviewed: “${v.claim_reviewed}”` : "");
}

export function renderHistory(events) {
  ui.history.replaceChildren(
    ...(events || []).map((e) => {
      const from = e.from_status ? statusLabel(e.from_status) : "—";
      const item = el("li", {}, [
        timeEl(e.at),
        " ",
        el("strong", { text: e.actor }),
        ` ${words(e.action)} (${from} → ${statusLabel(e.to_status)})`,
      ]);
      const detail = Object.entries(e.detail || {});
      if (detail.length) {
        const text = detail.map(([k, v]) => `${words(k)}: ${formatValue(v)}`).join("; ");
        item.append(el("p", { className: "muted small", text }));
      }
      return item;
    }),
  );
}
