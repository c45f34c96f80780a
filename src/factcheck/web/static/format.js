// How values are written for people: one date-time format for every time on the page
// (history, leases, sources, verdicts, published), status labels, numbers, quantities.

export const STATUS_LABELS = Object.freeze({
  queued: "Queued",
  in_review: "In review",
  reviewed: "Reviewed",
  published: "Published",
  dismissed: "Dismissed",
  retracted: "Retracted",
});

export function statusLabel(status) {
  return STATUS_LABELS[status] || String(status);
}

// The browser's locale and time zone, the same everywhere (the API sends UTC ISO 8601).
const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** An ISO 8601 time as a local date and time; anything unreadable is shown as it came. */
export function formatDateTime(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : DATE_TIME.format(date);
}

/** A value from an event's detail: times localised like every other time, the rest as is. */
export function formatValue(value) {
  const text = String(value);
  return ISO_DATE_TIME.test(text) ? formatDateTime(text) : text;
}

/** How long ago, in a few characters (the queue's Age column). */
export function age(iso, now = Date.now()) {
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return "";
  const seconds = Math.max(0, (now - then) / 1000);
  if (seconds < 60) return "just now";
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86400)} d`;
}

export function score(value) {
  return Number(value).toFixed(2);
}

function number(value) {
  return Number.isInteger(value) ? String(value) : Number(value).toFixed(2).replace(/\.?0+$/, "");
}

export function quantityText(q) {
  const range = q.low === q.high ? number(q.low) : `${number(q.low)}–${number(q.high)}`;
  if (q.kind === "ratio") return `ratio ${q.unit || `${range}:1`}`;
  if (q.kind === "multiplier") return `multiplier ${range}×`;
  return `${q.kind} ${range}${q.unit ? ` ${q.unit}` : ""}`;
}

export function words(name) {
  return String(name).replaceAll("_", " ");
}
