// Who is signed in: the token, the session the API describes (name, role, permissions,
// rating scale), signing in and out, and running an API call on the user's behalf.

import { ApiError, describe, request } from "./api.js";
import { clearFieldErrors, showFieldErrors } from "./dom.js";
import { clearMessages, showError } from "./messages.js";
import { FRESH_QUEUE, get, update } from "./store.js";

let signedOutHandler = () => {};

/** What the page does after a sign-out (the router shows the sign-in view); set once. */
export function onSignedOut(handler) {
  signedOutHandler = handler;
}

/** Whether the session's role has this permission (as GET web/session listed them). */
export function can(permission) {
  const { session } = get();
  return Boolean(session && session.permissions.includes(permission));
}

export function me() {
  const { session } = get();
  return session ? session.name : null;
}

/** Ask the API who the token is; keeps the session and picks the role's default queue. */
export async function loadSession() {
  const { data } = await request("GET", "web/session");
  const { queue } = get();
  const status = queue.status || (data.permissions.includes("edit") ? "reviewed" : "queued");
  update({ session: data, queue: { ...queue, status } });
  return data;
}

/** Try a token: kept only if the API accepts it. Rejects with the API's error. */
export async function signIn(token) {
  update({ token });
  try {
    return await loadSession();
  } catch (error) {
    update({ token: null, session: null });
    throw error;
  }
}

/** Forget the token and everything read with it; `message` says why (null: the user asked). */
export function signOut(message) {
  update({
    token: null,
    session: null,
    queue: FRESH_QUEUE,
    search: null,
    claim: null,
    documents: {},
  });
  signedOutHandler(message);
}

/** Run an API action; a 401 signs out, any other error is shown (and next to the form's
 * fields). Resolves to the action's result, or null when it failed. */
export async function attempt(action, form) {
  clearMessages();
  if (form) clearFieldErrors(form);
  try {
    return await action();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401 && get().token) {
      signOut(`You were signed out: ${error.message}`);
      return null;
    }
    if (form && error instanceof ApiError) showFieldErrors(form, error);
    showError(describe(error));
    return null;
  }
}
