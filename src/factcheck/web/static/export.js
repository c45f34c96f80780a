// The editor's export card (in the queue view): CSV or JSON Lines, fetched with the token
// in the header and saved from a Blob URL (so the token never appears in a link).

import { download } from "./api.js";
import { el, refs, setText, show } from "./dom.js";
import { notify } from "./messages.js";
import { attempt, can } from "./session.js";

const ui = refs({
  card: "export-card",
  which: "export-which",
  csv: "export-csv",
  jsonl: "export-jsonl",
  error: "export-error",
  alertText: "alert-text",
});

const FORMATS = Object.freeze({
  csv: { accept: "text/csv", label: "CSV" },
  jsonl: { accept: "application/x-ndjson", label: "JSON Lines" },
});

export function render() {
  show(ui.card, can("edit"));
}

function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const anchor = el("a", { attrs: { href: url, download: name }, className: "visually-hidden" });
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

async function run(format, button) {
  show(ui.error, false);
  setText(ui.error, "");
  const which = ui.which.value;
  const params = new URLSearchParams();
  if (which) params.set("status", which);
  const query = params.toString();
  const { accept, label } = FORMATS[format];
  button.disabled = true;
  const blob = await attempt(() => {
    notify(`Preparing the ${label} export…`);
    return download(`exports/claims.${format}${query ? `?${query}` : ""}`, accept);
  });
  button.disabled = false;
  if (!blob) {
    // The alert has the API's message; the card repeats it next to the buttons.
    setText(ui.error, ui.alertText.textContent);
    show(ui.error, Boolean(ui.error.textContent));
    return;
  }
  const name = `claims-${which || "all"}-${new Date().toISOString().slice(0, 10)}.${format}`;
  save(blob, name);
  notify(`Export saved as ${name} (${blob.size} bytes).`);
}

export function init() {
  ui.csv.addEventListener("click", () => run("csv", ui.csv));
  ui.jsonl.addEventListener("click", () => run("jsonl", ui.jsonl));
}
