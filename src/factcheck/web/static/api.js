// The JSON API client. The token goes in the Authorization header and nowhere else
// (never a URL, a query string or a link); errors become ApiError with the envelope's
// status, code, message and field errors.

import { get } from "./store.js";

export class ApiError extends Error {
  constructor(status, code, message, errors) {
    super(message);
    this.status = status;
    this.code = code;
    this.errors = errors || {};
  }
}

/** What the user reads for an error: the API's own message, its status and code. */
export function describe(error) {
  if (error instanceof ApiError) {
    return error.status ? `${error.message} (${error.status} ${error.code})` : error.message;
  }
  return `Something went wrong in the page: ${error && error.message ? error.message : error}`;
}

function authorization() {
  const { token } = get();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

async function send(path, init) {
  try {
    return await fetch(new URL(path, document.baseURI), { ...init, cache: "no-store", credentials: "omit" });
  } catch (error) {
    throw new ApiError(0, "network_error", `Cannot reach the API (${error.message}).`, {});
  }
}

function parse(text) {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function failure(response, data) {
  const envelope = data && typeof data === "object" ? data : {};
  const message =
    typeof envelope.message === "string" && envelope.message
      ? envelope.message
      : `${`The API answered ${response.status} ${response.statusText || ""}`.trim()}.`;
  return new ApiError(response.status, envelope.code || "http_error", message, envelope.errors);
}

/** One JSON request; resolves to {data, response}, rejects with ApiError. */
export async function request(method, path, body) {
  const headers = { Accept: "application/json", ...authorization() };
  const init = { method, headers };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await send(path, init);
  const data = parse(await response.text());
  if (!response.ok) throw failure(response, data);
  return { data, response };
}

/** A file the API streams (exports), fetched with the header, as a Blob. */
export async function download(path, accept) {
  const response = await send(path, { method: "GET", headers: { Accept: accept, ...authorization() } });
  if (!response.ok) throw failure(response, parse(await response.text()));
  return response.blob();
}

/** The `cursor` of a `Link: <...>; rel="next"` header (the published feed pages with it). */
export function nextCursorFromLink(header) {
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

export function claimPath(id, suffix) {
  const base = `claims/${encodeURIComponent(id)}`;
  return suffix ? `${base}/${suffix}` : base;
}
