// One claim: the sentence in its context, why it was picked, lease and assignment,
// sources, verdict, the editor's and the dismiss controls, and its history.
//
// What the user may do comes from the API alone: every control carries `data-action`
// with the name of the action it performs, and exactly the controls whose name is in
// the claim's `allowed_actions` (GET claims/{id}) are shown. No rule is re-derived here.

import { claimPath, request } from "./api.js";
import { el, focusInvalid, latestOnly, link, payload, refs, setText, show } from "./dom.js";
import { formatDateTime, score, quantityText, statusLabel, words } from "./format.js";
import { errorShowing, notify } from "./messages.js";
import { highlighted, renderCheckedBefore, renderHistory, renderSources, renderVerdict } from "./claim-parts.js";
import { attempt, me } from "./session.js";
import { get, update } from "./store.js";

const ui = refs({
  body: "claim-body",
  title: "claim-title",
  status: "claim-status",
  score: "claim-score",
  before: "claim-before",
  sentence: "claim-sentence",
  after: "claim-after",
  document: "claim-document",
  categories: "claim-categories",
  quantities: "claim-quantities",
  reasons: "claim-reasons",
  leaseText: "lease-text",
  leaseTake: "lease-take",
  note: "claim-note",
  duplicate: "claim-duplicate",
  assignee: "claim-assignee",
  rating: "verdict-rating-input",
});

/** How each action the API names is performed: method, path under the claim, form, message. */
const ACTIONS = Object.freeze({
  lease: { method: "POST", suffix: "lease", done: "Claim leased to you." },
  release: { method: "DELETE", suffix: "lease", done: "Lease released: the claim is back in the queue." },
  add_source: { method: "POST", suffix: "sources", required: ["url"], done: "Source added." },
  give_verdict: {
    method: "POST",
    suffix: "verdict",
    required: ["rating", "summary"],
    done: "Verdict given: waiting for an editor.",
  },
  approve: { method: "POST", suffix: "approve", done: "Approved and published." },
  send_back: { method: "POST", suffix: "send-back", required: ["comment"], done: "Sent back to the queue." },
  dismiss: { method: "POST", suffix: "dismiss", required: ["reason"], done: "Claim dismissed." },
  mark_duplicate: {
    method: "POST",
    suffix: "duplicate-of",
    done: "Marked as a duplicate: the claim is dismissed.",
  },
  assign: { method: "POST", suffix: "assign", required: ["reviewer"], done: "Claim assigned." },
  restore: { method: "POST", suffix: "restore", done: "Restored: the claim is back in the queue." },
  correct: {
    method: "POST",
    suffix: "correct",
    required: ["note"],
    done: "Reopened for correction: readers see the published version until it is approved.",
  },
  retract: { method: "POST", suffix: "retract", required: ["reason"], done: "Retracted: the public page says so." },
});

function allowed(claim) {
  return new Set(Array.isArray(claim.allowed_actions) ? claim.allowed_actions : []);
}

/** Show exactly the controls of the allowed actions, and the cards that hold any of them
 * (`data-card-for="approve send_back"`). */
function renderActions(claim) {
  const can = allowed(claim);
  for (const node of ui.body.querySelectorAll("[data-action]")) show(node, can.has(node.dataset.action));
  for (const card of ui.body.querySelectorAll("[data-card-for]")) {
    show(card, card.dataset.cardFor.split(" ").some((action) => can.has(action)));
  }
}

function list(node, items, item) {
  node.replaceChildren(...(items.length ? items.map(item) : [el("li", { className: "muted", text: "none" })]));
}

function renderText(claim) {
  setText(ui.title, "Claim");
  show(ui.status, true);
  show(ui.score, true);
  setText(ui.status, statusLabel(claim.status));
  ui.status.className = `badge status-${claim.status}`;
  setText(ui.score, `score ${score(claim.score)}`);
  setText(ui.before, claim.context_before ? `${claim.context_before} ` : "");
  ui.sentence.replaceChildren(...highlighted(claim.text, claim.quantities));
  setText(ui.after, claim.context_after ? ` ${claim.context_after}` : "");
  const doc = claim.document;
  ui.document.replaceChildren();
  if (doc) {
    ui.document.append("From ", doc.url ? link(doc.url, doc.title || doc.url) : el("cite", { text: doc.title || doc.id }));
    if (doc.author) ui.document.append(` by ${doc.author}`);
    if (doc.published_at) ui.document.append(`, ${formatDateTime(doc.published_at)}`);
    if (doc.site_name) ui.document.append(` · ${doc.site_name}`);
    const all = el("a", { text: "all sentences", attrs: { href: `#/document/${encodeURIComponent(doc.id)}` } });
    ui.document.append(" · ", all);
  }
  list(ui.categories, claim.categories || [], (c) => el("li", { text: c }));
  list(ui.quantities, claim.quantities || [], (q) => el("li", {}, [el("mark", { text: q.text }), ` ${quantityText(q)}`]));
  const reasons = Object.entries(claim.reasons || {}).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
  list(ui.reasons, reasons, ([name, weight]) => el("li", { text: `${words(name)} (${Number(weight).toFixed(2)})` }));
}

/** Who holds the lease and until when, in the server's times; whether it still counts is
 * read from what the server allows (a holder who may not give the verdict has let it run out). */
function leaseSentence(claim, can) {
  const until = formatDateTime(claim.lease_expires_at);
  const mayLease = can.has("lease");
  if (claim.status === "queued") return "Free: nobody is reviewing this claim.";
  if (claim.status !== "in_review") return `Not leasable: the claim is ${statusLabel(claim.status)}.`;
  if (claim.lease_holder === me() && mayLease && !can.has("give_verdict")) {
    return `Your lease ran until ${until}: renew it to go on.`;
  }
  if (claim.lease_holder === me()) return `Leased by you until ${until}.`;
  if (mayLease) return `Leased by ${claim.lease_holder} until ${until}; you may take it over.`;
  return `Taken: leased by ${claim.lease_holder} until ${until}.`;
}

function renderLease(claim) {
  const can = allowed(claim);
  const mine = claim.status === "in_review" && claim.lease_holder === me();
  setText(ui.leaseText, leaseSentence(claim, can));
  ui.leaseText.className = claim.status === "in_review" && !mine && !can.has("lease") ? "taken" : "";
  setText(ui.leaseTake, mine ? "Renew lease" : "Lease this claim");
  const notes = [];
  if (claim.comment) notes.push(`Editor's comment: ${claim.comment}`);
  if (claim.dismiss_reason) notes.push(`Dismissed: ${claim.dismiss_reason}`);
  if (claim.approved_by) notes.push(`Approved by ${claim.approved_by} ${formatDateTime(claim.published_at)}.`);
  notes.push(...correctionNotes(claim));
  setText(ui.note, notes.join(" "));
  show(ui.note, notes.length > 0);
}

/** A correction under way, published corrections and a retraction, in plain words. */
function correctionNotes(claim) {
  const notes = [];
  const open = claim.correction;
  if (open) {
    const shown = open.published || {};
    notes.push(
      `Under correction (${open.opened_by}, ${formatDateTime(open.opened_at)}): ${open.note} ` +
        `Readers still see the published rating “${shown.rating}” until the correction is approved.`,
    );
  }
  for (const c of claim.corrections || []) {
    notes.push(`Corrected ${formatDateTime(c.corrected_at)}: ${c.note} (earlier rating “${c.previous_rating}”).`);
  }
  const gone = claim.retraction;
  if (gone) notes.push(`Retracted by ${gone.retracted_by} ${formatDateTime(gone.retracted_at)}: ${gone.reason}`);
  return notes;
}

function renderAssignment(claim) {
  if (!claim.assignee) setText(ui.assignee, "Not assigned: any reviewer may take it.");
  else if (claim.assignee === me()) setText(ui.assignee, "Assigned to you.");
  else setText(ui.assignee, `Assigned to ${claim.assignee}: only they (or an editor) may lease it.`);
  ui.duplicate.replaceChildren();
  if (claim.duplicate_of) {
    const original = (claim.checked_before || []).find((b) => b.claim_id === claim.duplicate_of);
    const text = original ? `“${original.text}”` : `claim ${claim.duplicate_of}`;
    ui.duplicate.append("Duplicate of ", el("a", { text, attrs: { href: `#/claim/${encodeURIComponent(claim.duplicate_of)}` } }), ".");
  }
  show(ui.duplicate, Boolean(claim.duplicate_of));
}

/** The rating choices are the configured scale (from the session), filled in once. */
function renderRatings() {
  const scale = (get().session && get().session.rating_scale) || [];
  const labels = scale.map((level) => level.label);
  const current = [...ui.rating.options].slice(1).map((o) => o.value);
  if (labels.join("\n") === current.join("\n")) return;
  ui.rating.replaceChildren(
    el("option", { text: "Choose a rating…", attrs: { value: "" } }),
    ...labels.map((label) => el("option", { text: label, attrs: { value: label } })),
  );
}

function render(claim, history) {
  update({ claim });
  document.title = "Claim · factcheck";
  show(ui.body, true);
  renderText(claim);
  renderLease(claim);
  renderAssignment(claim);
  const markDuplicate = allowed(claim).has("mark_duplicate")
    ? (original) => perform("mark_duplicate", { claim_id: original })
    : null;
  renderCheckedBefore(claim, markDuplicate);
  renderSources(claim);
  renderVerdict(claim);
  renderRatings();
  renderHistory(history);
  renderActions(claim);
}

async function fetchClaim(id) {
  const [claim, history] = await Promise.all([request("GET", claimPath(id)), request("GET", claimPath(id, "history"))]);
  return { claim: claim.data, history: history.data.items };
}

const loads = latestOnly(); // the claim on screen is the last one asked for

async function load(id) {
  const current = loads();
  const result = await attempt(() => fetchClaim(id));
  if (!current()) return;
  if (!result) {
    setText(ui.sentence, "");
    setText(ui.title, "Claim not available");
    return;
  }
  render(result.claim, result.history);
}

/** Perform an allowed action on the claim on screen, then show the claim as it is now. */
async function perform(action, body, form = null) {
  const { claim } = get();
  if (!claim) return;
  const { method, suffix, done } = ACTIONS[action];
  const result = await attempt(() => request(method, claimPath(claim.id, suffix), body), form);
  if (!result) {
    if (!get().token) return; // signed out by a 401
    // The error stays on screen; show what is true now (someone else may have taken or
    // changed the claim, so what is allowed may have changed too), keeping the form's
    // values and its field errors.
    try {
      const fresh = await fetchClaim(claim.id);
      if (get().claim && get().claim.id === claim.id) render(fresh.claim, fresh.history);
    } catch {
      // the first error is already shown; a failed refresh adds nothing useful
    }
    if (form) focusInvalid(form);
    return;
  }
  if (form) form.reset();
  await load(claim.id);
  // After the reload (which clears old messages), so that the confirmation stays.
  if (errorShowing()) return;
  notify(done);
  // A button that did its job may be gone now: keep the keyboard focus in the claim.
  if (!document.activeElement || document.activeElement === document.body) ui.title.focus();
}

export function init() {
  for (const node of ui.body.querySelectorAll("[data-action]")) {
    const action = node.dataset.action;
    if (!(action in ACTIONS)) throw new Error(`the page has a control for an unknown action: ${action}`);
    if (node instanceof HTMLFormElement) {
      node.addEventListener("submit", (event) => {
        event.preventDefault();
        perform(action, payload(node, ACTIONS[action].required || []), node);
      });
    } else {
      node.addEventListener("click", () => perform(action));
    }
  }
}

export async function enter(id, reveal) {
  // Nothing of the previous claim stays on screen (or clickable) while this one loads.
  update({ claim: null });
  show(ui.body, false);
  setText(ui.title, "Loading the claim…");
  show(ui.status, false);
  show(ui.score, false);
  reveal();
  await load(id);
}
