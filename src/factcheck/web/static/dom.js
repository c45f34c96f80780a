// DOM helpers. Text only: every string reaches the page through textContent or through
// setAttribute on an element made here; nothing parses HTML.

import { formatDateTime } from "./format.js";

/**
 * The elements a module works with, looked up once by id: `refs({rows: "queue-rows"})`.
 * A missing id throws at start-up (a renamed element fails loudly, not on first click).
 */
export function refs(ids) {
  const found = {};
  for (const [key, id] of Object.entries(ids)) {
    const node = document.getElementById(id);
    if (!node) throw new Error(`the page has no element #${id}`);
    found[key] = node;
  }
  return Object.freeze(found);
}

export function el(tag, options = {}, children = []) {
  const node = document.createElement(tag);
  if (options.text !== undefined && options.text !== null) node.textContent = String(options.text);
  if (options.className) node.className = options.className;
  for (const [name, value] of Object.entries(options.attrs || {})) {
    if (value !== undefined && value !== null) node.setAttribute(name, String(value));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

export function setText(node, text) {
  node.textContent = text === undefined || text === null ? "" : String(text);
}

export function show(node, visible) {
  node.hidden = !visible;
}

/** Only http(s) URLs become links (never javascript: or data:). */
export function safeHref(url) {
  try {
    const parsed = new URL(String(url), document.baseURI);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

export function link(url, text) {
  const href = safeHref(url);
  if (!href) return el("span", { text: text || url });
  return el("a", { text: text || url, attrs: { href, rel: "noopener noreferrer" } });
}

export function claimLink(id, text) {
  return el("a", { text, attrs: { href: `#/claim/${encodeURIComponent(id)}` } });
}

/** A <time> with the machine-readable value, the given text and the full local time as title. */
export function timeEl(iso, text = formatDateTime(iso)) {
  return el("time", { text, attrs: { datetime: iso, title: formatDateTime(iso) } });
}

/**
 * A guard against answers that arrive out of order: `const current = loads(); await ...;
 * if (!current()) return;` drops what an earlier, slower request brings back after a newer
 * one was started (a quick change of filter, page or claim must not show the old answer).
 */
export function latestOnly() {
  let latest = 0;
  return () => {
    const mine = ++latest;
    return () => mine === latest;
  };
}

// -- forms: values out, the API's field errors in ------------------------------------------

export function formValues(form) {
  const values = {};
  for (const [name, value] of new FormData(form).entries()) values[name] = String(value);
  return values;
}

/** Required fields are sent as typed (the API validates); empty optional ones are left out. */
export function payload(form, required) {
  const body = {};
  for (const [name, value] of Object.entries(formValues(form))) {
    if (required.includes(name) || value.trim() !== "") body[name] = value;
  }
  return body;
}

export function clearFieldErrors(form) {
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

/** One message next to one field (marks the field invalid and focuses it). */
export function fieldError(form, field, text) {
  const slot = form.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
  if (!slot) return false;
  slot.textContent = text;
  slot.hidden = false;
  const input = form.elements.namedItem(field);
  if (input && input.setAttribute) input.setAttribute("aria-invalid", "true");
  return true;
}

/** The envelope's `errors` map next to the fields it names; the rest in the form's own slot. */
export function showFieldErrors(form, error) {
  const leftover = [];
  let named = false;
  for (const [field, value] of Object.entries(error.errors || {})) {
    const text = messagesOf(value).join(" ");
    if (fieldError(form, field, text)) named = true;
    else leftover.push(text);
  }
  const formError = form.querySelector('[data-error-for="_form"]');
  if (formError) {
    formError.textContent = named ? leftover.join(" ") : [error.message, ...leftover].join(" ");
    formError.hidden = !formError.textContent;
  }
  focusInvalid(form);
}

/** Keyboard focus on the first field the API refused (if it is on screen). */
export function focusInvalid(form) {
  const invalid = form.querySelector('[aria-invalid="true"]');
  if (invalid && !invalid.closest("[hidden]")) invalid.focus();
}
