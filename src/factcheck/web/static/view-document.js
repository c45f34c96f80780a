// One article (#/document/<id>): what the page said about itself (title, author, site,
// date), what extraction came to (a clear status for no text or another language) and,
// for staff, every sentence with its score, whether it became a claim and why not, so
// nothing below the line is hidden.

import { request } from "./api.js";
import { el, latestOnly, link, refs, setText } from "./dom.js";
import { byline, documentStatus, sentenceFate } from "./document-parts.js";
import { formatDateTime, score } from "./format.js";
import { attempt, can } from "./session.js";

const ui = refs({
  title: "document-title",
  byline: "document-byline",
  status: "document-status",
  detail: "document-detail",
  note: "document-sentences-note",
  sentences: "document-sentences",
});

function renderDocument(doc) {
  setText(ui.title, doc.title || "Article");
  ui.byline.replaceChildren();
  const said = [byline(doc), doc.published_at ? formatDateTime(doc.published_at) : ""].filter(Boolean);
  if (said.length) ui.byline.append(said.join(" · "));
  if (doc.url) ui.byline.append(said.length ? " · " : "", link(doc.url, "original page"));
  const { label, detail } = documentStatus(doc);
  setText(ui.status, label);
  ui.status.className = `badge document-${doc.status}`;
  setText(ui.detail, detail);
}

function sentence(s) {
  const fate = sentenceFate(s);
  const item = el("li", { className: s.selected ? "sentence selected" : "sentence below" }, [
    el("span", { className: "sentence-text", text: s.text }),
    " ",
    el("span", { className: "badge", text: `score ${score(s.score)}` }),
    " ",
    el("span", { className: "muted", text: fate }),
  ]);
  if (s.explanation.length) item.append(el("small", { className: "muted", text: ` (${s.explanation.join("; ")})` }));
  return item;
}

function renderSentences(body) {
  ui.sentences.replaceChildren(...body.items.map(sentence));
  const chosen = body.items.filter((s) => s.selected).length;
  let note = `${body.items.length} sentences, ${chosen} of them claims.`;
  if (!body.recorded) note = "No sentences were scored for this article.";
  else if (body.truncated) note += " The article is too long to keep every sentence: the last ones are left out.";
  setText(ui.note, note);
}

const loads = latestOnly();

export function init() {}

export async function enter(id, reveal) {
  const current = loads();
  for (const node of [ui.byline, ui.sentences]) node.replaceChildren();
  for (const node of [ui.status, ui.detail, ui.note]) setText(node, "");
  setText(ui.title, "Article");
  reveal();
  document.title = "Article · factcheck";
  const got = await attempt(() => request("GET", `documents/${encodeURIComponent(id)}`));
  if (!got || !current()) return;
  renderDocument(got.data);
  if (!can("read_claims")) {
    setText(ui.note, "Every sentence of the article is shown to reviewers and editors.");
    return;
  }
  const all = await attempt(() => request("GET", `documents/${encodeURIComponent(id)}/sentences`));
  if (all && current()) renderSentences(all.data);
}
