// The page's state, owned here and nowhere else.
//
// Modules read a frozen snapshot with `get()` and change it only with `update(patch)`,
// which replaces the named top-level keys. Nothing else holds a mutable copy, so every
// change to what the page knows is one visible call (grep for `update(`).

const TOKEN_KEY = "factcheck.token";

/** The queue as a new visitor sees it; `status` is chosen from the role once signed in. */
export const FRESH_QUEUE = Object.freeze({
  status: null,
  mine: false,
  limit: 20,
  cursors: Object.freeze([null]),
  index: 0,
  next: null,
});

function deepFreeze(value) {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

let state = deepFreeze({
  // The bearer token. Kept in sessionStorage (this tab only, never a URL) so that a reload
  // stays signed in; this store is the one place that reads or writes that key.
  token: sessionStorage.getItem(TOKEN_KEY),
  session: null, // {name, role, permissions, rating_scale} from GET web/session
  afterSignIn: null, // the hash to go to once signed in
  queue: FRESH_QUEUE,
  search: null, // {q, scope} while the queue view shows search results
  published: { cursor: null, next: null },
  claim: null, // the claim on screen, as GET claims/{id} returned it (allowed_actions too)
  documents: {}, // document id -> {title, url} or {missing: message}, for the queue's Article column
});

export function get() {
  return state;
}

/** Replace the given top-level keys (a new frozen snapshot; the old one stays as it was). */
export function update(patch) {
  for (const key of Object.keys(patch)) {
    if (!(key in state)) throw new Error(`store: unknown key ${key}`);
  }
  state = deepFreeze({ ...state, ...patch });
  if ("token" in patch) {
    if (patch.token) sessionStorage.setItem(TOKEN_KEY, patch.token);
    else sessionStorage.removeItem(TOKEN_KEY);
  }
  return state;
}
