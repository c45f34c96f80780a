// factcheck review page: a small vanilla ES module over the JSON API.
//
// Rules this file keeps:
// - every string from the API reaches the DOM through textContent (or an attribute set
//   with setAttribute on an element we made); innerHTML is never used with data;
// - the token lives in sessionStorage (this tab only) and travels in the Authorization
//   header, never in a URL;
// - every API error is shown with the API's own message; input errors go next to the
//   field they name (the envelope's `errors` map); nothing fails silently.

const TOKEN_KEY = "factcheck.token";
const PAGE_SIZE = 20; // the published list; the queue's page size is chosen in the page
const STATUS_LABELS = {
  queued: "Queued",
  in_review: "In review",
  reviewed: "Reviewed",
  published: "Published",
  dismissed: "Dismissed",
};

const state = {
  token: sessionStorage.getItem(TOKEN_KEY),
  session: null, // {name, role, permissions, rating_scale}
  queue: { status: "queued", mine: false, limit: 20, cursors: [null], index: 0, next: null },
  search: null, // {q, scope} while the queue view shows search results
  published: { cursor: null, next: null },
  claim: null,
  afterSignIn: null, // where to go once signed in
};

// ---------------------------------------------------------------------------------------
// small DOM helpers (text only)

const $ = (id) => document.getElementById(id);

function el(tag, options = {}, children = []) {
  const node = document.createElement(tag);
  if (options.text !== undefined && options.text !== null) node.textContent = String(options.text);
  if (options.className) node.className = options.className;
  for (const [name, value] of Object.entries(options.attrs || {})) {
    if (value !== undefined && value !== null) node.setAttribute(name, String(value));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function setText(id, text) {
  $(id).textContent = text === undefined || text === null ? "" : String(text);
}

function show(node, visible) {
  (typeof node === "string" ? $(node) : node).hidden = !visible;
}

/** Only http(s) URLs become links (never javascript: or data:). */
function safeHref(url) {
  try {
    const parsed = new URL(String(url), document.baseURI);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

function link(url, text) {
  const href = safeHref(url);
  if (!href) return el("span", { text: text || url });
  return el("a", { text: text || url, attrs: { href, rel: "noopener noreferrer" } });
}

function formatDate(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString();
}

function age(iso) {
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return "";
  const seconds = Math.max(0, (Date.now() - then) / 1000);
  if (seconds < 60) return "just now";
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86400)} d`;
}

function timeEl(iso, text) {
  return el("time", { text, attrs: { datetime: iso, title: formatDate(iso) } });
}

// ---------------------------------------------------------------------------------------
// messages

function notify(text) {
  setText("notice", text);
}

function showError(message) {
  setText("alert-text", message);
  show("alert", true);
}

function clearError() {
  show("alert", false);
  setText("alert-text", "");
}

class ApiError extends Error {
  constructor(status, code, message, errors) {
    super(message);
    this.status = status;
    this.code = code;
    this.errors = errors || {};
  }
}

function describe(error) {
  if (error instanceof ApiError) {
    return error.status ? `${error.message} (${error.status} ${error.code})` : error.message;
  }
  return `Something went wrong in the page: ${error && error.message ? error.message : error}`;
}

// ---------------------------------------------------------------------------------------
// the API

async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (state.token) headers.Authorization = `Bearer ${state.token}`;
  const init = { method, headers, cache: "no-store", credentials: "omit" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(new URL(path, document.baseURI), init);
  } catch (error) {
    throw new ApiError(0, "network_error", `Cannot reach the API (${error.message}).`, {});
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const envelope = data && typeof data === "object" ? data : {};
    const message =
      typeof envelope.message === "string" && envelope.message
        ? envelope.message
        : `The API answered ${response.status} ${response.statusText || ""}`.trim() + ".";
    throw new ApiError(response.status, envelope.code || "http_error", message, envelope.errors);
  }
  return { data, response };
}

/** Run an API action; a 401 signs out, anything else is shown. Returns null on error. */
async function attempt(action, form) {
  clearError();
  notify("");
  if (form) clearFieldErrors(form);
  try {
    return await action();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401 && state.token) {
      signOut(`You were signed out: ${error.message}`);
      return null;
    }
    if (form && error instanceof ApiError) showFieldErrors(form, error);
    showError(describe(error));
    return null;
  }
}

// ---------------------------------------------------------------------------------------
// field errors from the envelope's `errors` map

function clearFieldErrors(form) {
  for (const node of form.querySelectorAll("[data-error-for]")) {
    node.textContent = "";
    node.hidden = true;
  }
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}

function messagesOf(value) {
  if (Array.isArray(value)) return value.flatMap(messagesOf);
  if (value && typeof value === "object") return Object.values(value).flatMap(messagesOf);
  return value === undefined || value === null ? [] : [String(value)];
}

function showFieldErrors(form, error) {
  const leftover = [];
  for (const [field, value] of Object.entries(error.errors || {})) {
    const target = form.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
    const text = messagesOf(value).join(" ");
    if (target) {
      target.textContent = text;
      target.hidden = false;
      const input = form.elements.namedItem(field);
      if (input && input.setAttribute) input.setAttribute("aria-invalid", "true");
    } else {
      leftover.push(text);
    }
  }
  const formError = form.querySelector('[data-error-for="_form"]');
  if (formError) {
    const named = Object.keys(error.errors || {}).some((f) =>
      form.querySelector(`[data-error-for="${CSS.escape(f)}"]`),
    );
    formError.textContent = named ? leftover.join(" ") : [error.message, ...leftover].join(" ");
    formError.hidden = !formError.textContent;
  }
  const invalid = form.querySelector('[aria-invalid="true"]');
  if (invalid) invalid.focus();
}

function formValues(form) {
  const values = {};
  for (const [name, value] of new FormData(form).entries()) values[name] = String(value);
  return values;
}

/** Required fields are sent as typed (the API validates); empty optional ones are left out. */
function payload(values, required) {
  const body = {};
  for (const [name, value] of Object.entries(values)) {
    if (required.includes(name) || value.trim() !== "") body[name] = value;
  }
  return body;
}

// ---------------------------------------------------------------------------------------
// session

function can(permission) {
  return Boolean(state.session && state.session.permissions.includes(permission));
}

async function loadSession() {
  const { data } = await api("GET", "web/session");
  state.session = data;
  setText("who-name", data.name);
  setText("who-role", data.role);
  show("who", true);
  const select = $("verdict-rating-input");
  select.replaceChildren(el("option", { text: "Choose a rating…", attrs: { value: "" } }));
  for (const level of data.rating_scale || []) {
    select.append(el("option", { text: level.label, attrs: { value: level.label } }));
  }
}

function signOut(message) {
  state.token = null;
  state.session = null;
  sessionStorage.removeItem(TOKEN_KEY);
  show("who", false);
  if (location.hash !== "#/signin") {
    if (message && location.hash) state.afterSignIn = location.hash; // come back here
    history.pushState(null, "", "#/signin"); // no hashchange: the message must stay
  }
  route();
  if (message) showError(message);
}

async function onSignIn(event) {
  event.preventDefault();
  const form = event.currentTarget;
  clearFieldErrors(form);
  clearError();
  const token = form.elements.namedItem("token").value.trim();
  const fieldError = (text) => {
    const target = form.querySelector('[data-error-for="token"]');
    target.textContent = text;
    target.hidden = false;
    form.elements.namedItem("token").setAttribute("aria-invalid", "true");
    form.elements.namedItem("token").focus();
  };
  if (!token) {
    fieldError("Enter your API token.");
    return;
  }
  state.token = token;
  try {
    await loadSession();
  } catch (error) {
    state.token = null;
    if (error instanceof ApiError && error.status === 401) {
      fieldError(`This token was not accepted: ${error.message} Check that you copied all of it.`);
    } else {
      fieldError(`Could not sign in: ${describe(error)}`);
    }
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  form.reset();
  const wanted = state.afterSignIn || "#/queue";
  state.afterSignIn = null;
  if (location.hash === wanted) route();
  else location.hash = wanted;
}

// ---------------------------------------------------------------------------------------
// views and routing

const VIEWS = ["signin", "queue", "claim", "published"];

/** Show one view; after a navigation, focus its heading (screen readers announce it). */
function showView(name, navigated = false) {
  show("loading", false);
  for (const view of VIEWS) show(`view-${view}`, view === name);
  if (navigated) $(`${name}-title`).focus();
  const current = name === "claim" ? "queue" : name;
  for (const a of document.querySelectorAll("[data-nav]")) {
    if (a.dataset.nav === current) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

async function route(navigated = false) {
  const hash = location.hash || "#/queue";
  const [, name, arg] = hash.match(/^#\/([a-z]+)(?:\/(.*))?$/) || [];
  if (state.token && !state.session) {
    await attempt(loadSession);
    if (!state.token) return; // signed out by a 401: the sign-in view is showing
  }
  if (name === "published") {
    showView("published", navigated);
    document.title = "Published · factcheck";
    await loadPublished(state.published.cursor);
    return;
  }
  if (!state.token) {
    if (name && name !== "signin") state.afterSignIn = hash;
    showView("signin");
    document.title = "Sign in · factcheck";
    $("signin-token").focus();
    return;
  }
  if (name === "signin") {
    location.hash = "#/queue";
    return;
  }
  if (name === "claim" && arg) {
    // Nothing of the previous claim stays on screen (or clickable) while this one loads.
    state.claim = null;
    show("claim-body", false);
    setText("claim-title", "Loading the claim…");
    for (const id of ["claim-status", "claim-score"]) show(id, false);
    showView("claim", navigated);
    await loadClaim(decodeURIComponent(arg));
    return;
  }
  showView("queue", navigated);
  document.title = "Queue · factcheck";
  await loadQueue();
}

// ---------------------------------------------------------------------------------------
// queue

/** What the queue view offers depends on the role: "my queue" to reviewers, exports to editors. */
function renderQueueTools() {
  const reader = can("read_claims");
  show("queue-mine-box", can("review"));
  show("search-form", reader);
  show("export-card", can("edit"));
  const q = state.queue;
  $("queue-status").value = q.status;
  $("queue-status").disabled = q.mine;
  $("queue-limit").value = String(q.limit);
  $("queue-mine").checked = q.mine;
  setText("queue-title", q.mine ? "My queue" : "Review queue");
  show("search-clear", Boolean(state.search));
}

async function loadQueue() {
  if (state.session && !can("read_claims")) {
    renderQueueTools();
    show("queue-table", false);
    show("queue-empty", true);
    setText(
      "queue-empty",
      `Your role (${state.session.role}) cannot read the review queue; the Published view is open to everyone.`,
    );
    updatePager(false);
    return;
  }
  renderQueueTools();
  if (state.search) {
    await runSearch();
    return;
  }
  const q = state.queue;
  const params = new URLSearchParams({ limit: String(q.limit) });
  if (q.mine) params.set("assigned", "me");
  else params.set("status", q.status);
  const cursor = q.cursors[q.index];
  if (cursor) params.set("cursor", cursor);
  const result = await attempt(() => api("GET", `claims?${params}`));
  if (!result) return;
  const { items, next_cursor: next } = result.data;
  q.next = next || null;
  showRows(
    items,
    q.mine ? "No claims are assigned to you." : "No claims with this status.",
    q.mine
      ? "Claims assigned to you (queued or in review), highest check-worthiness first."
      : "Highest check-worthiness first, then oldest.",
  );
  setText("queue-page", `Page ${q.index + 1}`);
  updatePager(true);
}

function showRows(items, emptyText, modeText) {
  $("queue-rows").replaceChildren(...items.map(queueRow));
  show("queue-table", items.length > 0);
  setText("queue-empty", emptyText);
  show("queue-empty", items.length === 0);
  setText("queue-mode", modeText);
}

/** The search results replace the queue's rows (no pages: the API returns the best ones). */
async function runSearch() {
  const { q, scope } = state.search;
  const form = $("search-form");
  $("search-q").value = q;
  $("search-scope").value = scope;
  const params = new URLSearchParams({ q, limit: "50" });
  if (scope) params.set("status", scope);
  const result = await attempt(() => api("GET", `claims/search?${params}`), form);
  if (!result) {
    // The message is next to the field: keep the queue as it was on screen.
    state.search = null;
    show("search-clear", false);
    return;
  }
  const items = result.data.items || [];
  const where = scope ? ` (${STATUS_LABELS[scope] || scope})` : "";
  showRows(
    items,
    `No claim contains all of “${q}”${where}.`,
    `Search results for “${q}”${where}: ${items.length} ${items.length === 1 ? "claim" : "claims"}, highest score first.`,
  );
  setText("queue-page", "");
  updatePager(false);
  show("search-clear", true);
}

/** Download an export with the token in the Authorization header, saved from a Blob URL. */
async function downloadExport(format) {
  const box = $("export-error");
  box.hidden = true;
  box.textContent = "";
  const params = new URLSearchParams();
  const which = $("export-which").value;
  if (which) params.set("status", which);
  const query = params.toString();
  const path = `exports/claims.${format}${query ? `?${query}` : ""}`;
  const button = $(`export-${format}`);
  button.disabled = true;
  const result = await attempt(async () => {
    notify(`Preparing the ${format === "csv" ? "CSV" : "JSON Lines"} export…`);
    let response;
    try {
      response = await fetch(new URL(path, document.baseURI), {
        headers: { Authorization: `Bearer ${state.token}`, Accept: format === "csv" ? "text/csv" : "application/x-ndjson" },
        cache: "no-store",
        credentials: "omit",
      });
    } catch (error) {
      throw new ApiError(0, "network_error", `Cannot reach the API (${error.message}).`, {});
    }
    if (!response.ok) {
      let envelope = {};
      try {
        envelope = JSON.parse(await response.text()) || {};
      } catch {
        envelope = {};
      }
      const message = typeof envelope.message === "string" && envelope.message
        ? envelope.message
        : `The API answered ${response.status}.`;
      throw new ApiError(response.status, envelope.code || "http_error", message, envelope.errors);
    }
    return response.blob();
  });
  button.disabled = false;
  if (!result) {
    box.textContent = $("alert-text").textContent;
    box.hidden = !box.textContent;
    return;
  }
  const day = new Date().toISOString().slice(0, 10);
  const name = `claims-${which || "all"}-${day}.${format}`;
  const url = URL.createObjectURL(result);
  const anchor = el("a", { attrs: { href: url, download: name }, className: "visually-hidden" });
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  notify(`Export saved as ${name} (${result.size} bytes).`);
}

function updatePager(enabled) {
  const q = state.queue;
  $("queue-first").disabled = !enabled || q.index === 0;
  $("queue-prev").disabled = !enabled || q.index === 0;
  $("queue-next").disabled = !enabled || !q.next;
}

function leaseLive(claim) {
  return (
    claim.status === "in_review" &&
    claim.lease_holder &&
    claim.lease_expires_at &&
    new Date(claim.lease_expires_at).getTime() > Date.now()
  );
}

function statusCell(claim) {
  const cell = el("td", { className: "status", attrs: { "data-label": "Status" } }, [
    el("span", { className: `badge status-${claim.status}`, text: STATUS_LABELS[claim.status] || claim.status }),
  ]);
  if (claim.status === "in_review") {
    const mine = state.session && claim.lease_holder === state.session.name;
    const text = !leaseLive(claim)
      ? "lease expired: free to take"
      : mine
        ? "leased by you"
        : `taken by ${claim.lease_holder}`;
    cell.append(" ", el("span", { className: mine ? "lease mine" : "lease taken", text }));
  }
  return cell;
}

function assigneeText(claim) {
  if (!claim.assignee) return "";
  return state.session && claim.assignee === state.session.name ? "you" : claim.assignee;
}

function queueRow(claim) {
  const title = el("a", { text: claim.text, attrs: { href: `#/claim/${encodeURIComponent(claim.id)}` } });
  const assignee = assigneeText(claim);
  return el("tr", { attrs: { "data-claim-id": claim.id } }, [
    el("td", { className: "num", text: Number(claim.score).toFixed(2), attrs: { "data-label": "Score" } }),
    el("td", { className: "claim-text", attrs: { "data-label": "Claim" } }, [title]),
    el("td", { attrs: { "data-label": "Categories" } }, [
      el("ul", { className: "tags" }, (claim.categories || []).map((c) => el("li", { text: c }))),
    ]),
    el("td", { className: "age", attrs: { "data-label": "Age" } }, [timeEl(claim.created_at, age(claim.created_at))]),
    el("td", { className: assignee ? "assignee" : "assignee muted", text: assignee || "—", attrs: { "data-label": "Assigned to" } }),
    statusCell(claim),
  ]);
}

// ---------------------------------------------------------------------------------------
// one claim

/** The sentence as text nodes with each quantity's `text` wrapped in <mark>. */
function highlighted(sentence, quantities) {
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

function number(value) {
  return Number.isInteger(value) ? String(value) : String(Number(value).toFixed(2)).replace(/\.?0+$/, "");
}

function quantityText(q) {
  const range = q.low === q.high ? number(q.low) : `${number(q.low)}–${number(q.high)}`;
  if (q.kind === "ratio") return `ratio ${q.unit || `${range}:1`}`;
  if (q.kind === "multiplier") return `multiplier ${range}×`;
  return `${q.kind} ${range}${q.unit ? ` ${q.unit}` : ""}`;
}

async function loadClaim(id) {
  const result = await attempt(async () => {
    const [claim, history] = await Promise.all([
      api("GET", `claims/${encodeURIComponent(id)}`),
      api("GET", `claims/${encodeURIComponent(id)}/history`),
    ]);
    return { claim: claim.data, history: history.data.items };
  });
  if (!result) {
    setText("claim-sentence", "");
    setText("claim-title", "Claim not available");
    return;
  }
  renderClaim(result.claim, result.history);
}

function renderClaim(claim, history) {
  state.claim = claim;
  document.title = "Claim · factcheck";
  setText("claim-title", "Claim");
  show("claim-body", true);
  for (const id of ["claim-status", "claim-score"]) show(id, true);
  const status = $("claim-status");
  status.textContent = STATUS_LABELS[claim.status] || claim.status;
  status.className = `badge status-${claim.status}`;
  setText("claim-score", `score ${Number(claim.score).toFixed(2)}`);
  setText("claim-before", claim.context_before ? `${claim.context_before} ` : "");
  $("claim-sentence").replaceChildren(...highlighted(claim.text, claim.quantities));
  setText("claim-after", claim.context_after ? ` ${claim.context_after}` : "");

  const doc = claim.document;
  const docLine = $("claim-document");
  docLine.replaceChildren();
  if (doc) {
    docLine.append("From ");
    docLine.append(doc.url ? link(doc.url, doc.title || doc.url) : el("cite", { text: doc.title || doc.id }));
    if (doc.author) docLine.append(` by ${doc.author}`);
    if (doc.published_at) docLine.append(`, ${formatDate(doc.published_at)}`);
  }

  const categories = claim.categories || [];
  $("claim-categories").replaceChildren(
    ...(categories.length ? categories.map((c) => el("li", { text: c })) : [el("li", { className: "muted", text: "none" })]),
  );
  const quantities = claim.quantities || [];
  $("claim-quantities").replaceChildren(
    ...(quantities.length
      ? quantities.map((q) => el("li", {}, [el("mark", { text: q.text }), document.createTextNode(` ${quantityText(q)}`)]))
      : [el("li", { className: "muted", text: "none" })]),
  );
  const reasons = Object.entries(claim.reasons || {}).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
  $("claim-reasons").replaceChildren(
    ...(reasons.length
      ? reasons.map(([name, weight]) => el("li", { text: `${name.replaceAll("_", " ")} (${Number(weight).toFixed(2)})` }))
      : [el("li", { className: "muted", text: "none" })]),
  );

  renderLease(claim);
  renderAssignment(claim);
  renderCheckedBefore(claim);
  renderSources(claim);
  renderVerdict(claim);
  renderEditor(claim);
  renderHistory(history);
}

function holdsLease(claim) {
  return Boolean(state.session && claim.status === "in_review" && claim.lease_holder === state.session.name && leaseLive(claim));
}

function renderLease(claim) {
  const mine = holdsLease(claim);
  const live = leaseLive(claim);
  let text;
  if (claim.status === "queued") text = "Free: nobody is reviewing this claim.";
  else if (claim.status === "in_review" && mine)
    text = `Leased by you until ${formatDate(claim.lease_expires_at)}.`;
  else if (claim.status === "in_review" && live)
    text = `Taken: leased by ${claim.lease_holder} until ${formatDate(claim.lease_expires_at)}.`;
  else if (claim.status === "in_review")
    text = `The lease of ${claim.lease_holder} has expired: free to take.`;
  else text = `Not leasable: the claim is ${STATUS_LABELS[claim.status] || claim.status}.`;
  const leaseText = $("lease-text");
  leaseText.textContent = text;
  leaseText.className = claim.status === "in_review" && live && !mine ? "taken" : "";
  const reviewer = can("review");
  const leasable = claim.status === "queued" || (claim.status === "in_review" && (!live || mine));
  const take = $("lease-take");
  take.textContent = mine ? "Renew lease" : "Lease this claim";
  show(take, reviewer && (leasable || (claim.status === "in_review" && live)));
  show("lease-release", reviewer && mine);
  const note = $("claim-note");
  const notes = [];
  if (claim.comment) notes.push(`Editor's comment: ${claim.comment}`);
  if (claim.dismiss_reason) notes.push(`Dismissed: ${claim.dismiss_reason}`);
  if (claim.approved_by) notes.push(`Approved by ${claim.approved_by} ${formatDate(claim.published_at)}.`);
  note.textContent = notes.join(" ");
  show(note, notes.length > 0);
}

const ACTIVE = ["queued", "in_review", "reviewed"];

function claimLink(id, text) {
  return el("a", { text, attrs: { href: `#/claim/${encodeURIComponent(id)}` } });
}

function renderAssignment(claim) {
  const line = $("claim-assignee");
  const mine = state.session && claim.assignee === state.session.name;
  if (!claim.assignee) line.textContent = "Not assigned: any reviewer may take it.";
  else if (mine) line.textContent = "Assigned to you.";
  else line.textContent = `Assigned to ${claim.assignee}: only they (or an editor) may lease it.`;
  show("assign-form", can("edit") && ["queued", "in_review"].includes(claim.status));
  const dup = $("claim-duplicate");
  dup.replaceChildren();
  if (claim.duplicate_of) {
    const original = (claim.checked_before || []).find((b) => b.claim_id === claim.duplicate_of);
    const text = original ? `“${original.text}”` : `claim ${claim.duplicate_of}`;
    dup.append("Duplicate of ", claimLink(claim.duplicate_of, text), ".");
  }
  show(dup, Boolean(claim.duplicate_of));
}

/** Earlier published claims that say the same thing, and other (unpublished) matches. */
function renderCheckedBefore(claim) {
  const before = claim.checked_before || [];
  const canMark = can("dismiss") && ACTIVE.includes(claim.status);
  $("checked-before-list").replaceChildren(
    ...before.map((b, i) => {
      const textId = `checked-before-text-${i}`;
      const item = el("li", { className: "checked-item", attrs: { "data-claim-id": b.claim_id } }, [
        el("blockquote", { attrs: { id: textId } }, [claimLink(b.claim_id, b.text)]),
        el("p", {}, [
          el("span", { className: "badge rating", text: b.rating }),
          document.createTextNode(" "),
          el("span", {
            className: "muted",
            text: `similarity ${Number(b.similarity).toFixed(2)}${b.published_at ? `, published ${formatDate(b.published_at)}` : ""}`,
          }),
        ]),
        el("p", { className: "verdict-summary", text: b.summary }),
        el("p", { className: "links" }, [link(b.claim_review_url, "ClaimReview JSON-LD")]),
      ]);
      if (claim.duplicate_of === b.claim_id) {
        item.append(el("p", { className: "ok", text: "This claim is marked as a duplicate of it." }));
      } else if (canMark) {
        const button = el("button", {
          text: "Mark as duplicate of this",
          className: "secondary",
          attrs: { type: "button", "aria-describedby": textId },
        });
        button.addEventListener("click", () =>
          claimAction("POST", "duplicate-of", { claim_id: b.claim_id }, null, "Marked as a duplicate: the claim is dismissed."),
        );
        item.append(el("div", { className: "actions" }, [button]));
      }
      return item;
    }),
  );
  show("checked-before-card", before.length > 0);

  const published = new Set(before.map((b) => b.claim_id));
  const others = (claim.matches || []).filter((m) => !published.has(m.claim_id));
  const list = $("claim-matches");
  list.replaceChildren(
    ...others.map((m) => {
      const anchor = claimLink(m.claim_id, `claim ${m.claim_id}`);
      const status = el("span", { className: `badge status-${m.status}`, text: STATUS_LABELS[m.status] || m.status });
      const item = el("li", { attrs: { "data-claim-id": m.claim_id } }, [
        anchor,
        document.createTextNode(" "),
        status,
        el("span", { className: "muted small", text: ` similarity ${Number(m.similarity).toFixed(2)}` }),
      ]);
      fillMatch(m.claim_id, anchor, status);
      return item;
    }),
  );
  show("matches-card", others.length > 0);
}

/** A match names only the claim id: fetch its text and current status (best effort). */
async function fillMatch(id, anchor, status) {
  try {
    const { data } = await api("GET", `claims/${encodeURIComponent(id)}`);
    anchor.textContent = data.text;
    status.textContent = STATUS_LABELS[data.status] || data.status;
    status.className = `badge status-${data.status}`;
  } catch (error) {
    anchor.append(` (not available: ${error && error.message ? error.message : error})`);
  }
}

function renderSources(claim) {
  const sources = claim.sources || [];
  $("claim-sources").replaceChildren(
    ...sources.map((s) => {
      const item = el("li", {}, [link(s.url, s.title || s.url)]);
      if (s.note) item.append(el("p", { className: "note", text: s.note }));
      item.append(el("p", { className: "muted small", text: `added by ${s.added_by}, ${formatDate(s.added_at)}` }));
      return item;
    }),
  );
  show("sources-empty", sources.length === 0);
  show("source-form", holdsLease(claim));
}

function renderVerdict(claim) {
  const v = claim.verdict;
  show("verdict-view", Boolean(v));
  show("verdict-empty", !v);
  if (v) {
    setText("verdict-rating", v.rating);
    setText("verdict-by", `by ${v.reviewer}, ${formatDate(v.given_at)}`);
    setText("verdict-summary", v.summary);
    setText("verdict-claim-reviewed", v.claim_reviewed ? `Claim reviewed: “${v.claim_reviewed}”` : "");
  }
  show("verdict-form", holdsLease(claim));
}

function renderEditor(claim) {
  show("editor-card", can("edit") && claim.status === "reviewed");
  const dismissable = ["queued", "in_review", "reviewed"].includes(claim.status);
  show("dismiss-card", can("dismiss") && dismissable);
}

function renderHistory(events) {
  $("claim-history").replaceChildren(
    ...(events || []).map((e) => {
      const from = e.from_status ? STATUS_LABELS[e.from_status] || e.from_status : "—";
      const to = STATUS_LABELS[e.to_status] || e.to_status;
      const item = el("li", {}, [
        timeEl(e.at, formatDate(e.at)),
        document.createTextNode(" "),
        el("strong", { text: e.actor }),
        document.createTextNode(` ${String(e.action).replaceAll("_", " ")} (${from} → ${to})`),
      ]);
      const detail = Object.entries(e.detail || {});
      if (detail.length) {
        item.append(el("p", { className: "muted small", text: detail.map(([k, v]) => `${k.replaceAll("_", " ")}: ${v}`).join("; ") }));
      }
      return item;
    }),
  );
}

async function claimAction(method, suffix, body, form, done) {
  const claim = state.claim;
  if (!claim) return;
  const base = `claims/${encodeURIComponent(claim.id)}`;
  const result = await attempt(() => api(method, suffix ? `${base}/${suffix}` : base, body), form);
  if (!result) {
    if (!state.token) return; // signed out by a 401
    // The error stays on screen; refresh what is true now (someone else may have taken
    // or changed the claim), keeping the form's values and its field errors.
    try {
      const [c, h] = await Promise.all([api("GET", base), api("GET", `${base}/history`)]);
      if (state.claim && state.claim.id === claim.id) renderClaim(c.data, h.data.items);
    } catch {
      // the first error is already shown; a failed refresh adds nothing useful
    }
    if (form) {
      const invalid = form.querySelector('[aria-invalid="true"]');
      if (invalid && !invalid.closest("[hidden]")) invalid.focus();
    }
    return;
  }
  if (form) form.reset();
  await loadClaim(claim.id);
  // After the reload (which clears old messages), so that the confirmation stays.
  if (!$("alert").hidden) return;
  notify(done);
  // A button that did its job may be gone now: keep the keyboard focus in the claim.
  if (!document.activeElement || document.activeElement === document.body) $("claim-title").focus();
}

// ---------------------------------------------------------------------------------------
// published

function nextCursorFromLink(header) {
  if (!header) return null;
  for (const part of header.split(",")) {
    const match = part.match(/<([^>]+)>\s*;\s*rel="?next"?/);
    if (match) {
      try {
        return new URL(match[1], document.baseURI).searchParams.get("cursor");
      } catch {
        return null;
      }
    }
  }
  return null;
}

async function loadPublished(cursor) {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (cursor) params.set("cursor", cursor);
  const result = await attempt(() => api("GET", `claim-reviews?${params}`));
  if (!result) return;
  state.published.cursor = cursor || null;
  state.published.next = nextCursorFromLink(result.response.headers.get("Link"));
  const reviews = (result.data && result.data.dataFeedElement) || [];
  $("published-list").replaceChildren(...reviews.map(publishedItem));
  show("published-empty", reviews.length === 0);
  $("published-next").disabled = !state.published.next;
  $("published-first").disabled = !state.published.cursor;
}

function publishedItem(review) {
  const rating = (review.reviewRating && review.reviewRating.alternateName) || "";
  const appearance = review.itemReviewed && review.itemReviewed.appearance && review.itemReviewed.appearance[0];
  const item = el("li", { className: "card" }, [
    el("p", { className: "claim-reviewed", text: review.claimReviewed }),
    el("p", {}, [
      el("span", { className: "badge rating", text: rating }),
      document.createTextNode(" "),
      timeEl(review.datePublished, `published ${formatDate(review.datePublished)}`),
    ]),
  ]);
  if (review.reviewBody) item.append(el("p", { text: review.reviewBody }));
  const links = el("p", { className: "links" }, [link(review.url, "ClaimReview JSON-LD")]);
  if (appearance && appearance.url) links.append(" · ", link(appearance.url, appearance.headline || "Article"));
  item.append(links);
  return item;
}

// ---------------------------------------------------------------------------------------
// wiring

function wire() {
  $("signin-form").addEventListener("submit", onSignIn);
  $("sign-out").addEventListener("click", () => {
    signOut(null);
    notify("Signed out.");
  });
  $("alert-close").addEventListener("click", clearError);

  const refilter = () => {
    const limit = Number($("queue-limit").value) || 20;
    const mine = $("queue-mine").checked;
    state.queue = { status: $("queue-status").value, mine, limit, cursors: [null], index: 0, next: null };
    state.search = null;
    $("search-q").value = "";
    clearFieldErrors($("search-form"));
    loadQueue();
  };
  $("queue-filter").addEventListener("submit", (event) => {
    event.preventDefault();
    refilter();
  });
  $("queue-status").addEventListener("change", refilter);
  $("queue-limit").addEventListener("change", refilter);
  $("queue-mine").addEventListener("change", refilter);
  $("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const values = formValues(event.currentTarget);
    state.search = { q: values.q, scope: values.scope || "" };
    loadQueue();
  });
  $("search-clear").addEventListener("click", () => {
    state.search = null;
    $("search-q").value = "";
    clearFieldErrors($("search-form"));
    loadQueue();
    $("search-q").focus();
  });
  for (const format of ["csv", "jsonl"]) {
    $(`export-${format}`).addEventListener("click", () => downloadExport(format));
  }
  $("queue-next").addEventListener("click", () => {
    const q = state.queue;
    if (!q.next) return;
    q.cursors = q.cursors.slice(0, q.index + 1).concat([q.next]);
    q.index += 1;
    loadQueue();
  });
  $("queue-prev").addEventListener("click", () => {
    if (state.queue.index > 0) state.queue.index -= 1;
    loadQueue();
  });
  $("queue-first").addEventListener("click", () => {
    state.queue.index = 0;
    loadQueue();
  });

  $("published-next").addEventListener("click", () => loadPublished(state.published.next));
  $("published-first").addEventListener("click", () => loadPublished(null));

  $("lease-take").addEventListener("click", () => claimAction("POST", "lease", undefined, null, "Claim leased to you."));
  $("lease-release").addEventListener("click", () =>
    claimAction("DELETE", "lease", undefined, null, "Lease released: the claim is back in the queue."),
  );
  $("approve").addEventListener("click", () => claimAction("POST", "approve", undefined, null, "Approved and published."));

  $("source-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    claimAction("POST", "sources", payload(formValues(form), ["url"]), form, "Source added.");
  });
  $("verdict-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    claimAction("POST", "verdict", payload(formValues(form), ["rating", "summary"]), form, "Verdict given: waiting for an editor.");
  });
  $("sendback-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    claimAction("POST", "send-back", payload(formValues(form), ["comment"]), form, "Sent back to the queue.");
  });
  $("assign-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    claimAction("POST", "assign", payload(formValues(form), ["reviewer"]), form, "Claim assigned.");
  });
  $("dismiss-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    claimAction("POST", "dismiss", payload(formValues(form), ["reason"]), form, "Claim dismissed.");
  });

  window.addEventListener("hashchange", () => {
    clearError();
    notify("");
    route(true);
  });
  window.addEventListener("error", (event) => showError(describe(event.error || event.message)));
  window.addEventListener("unhandledrejection", (event) => showError(describe(event.reason)));
}

wire();
route();
