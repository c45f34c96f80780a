// Hash routes: #/signin, #/queue, #/claim/<id>, #/published. The router decides which
// view is on screen (signed out: sign-in, except for the public Published view) and
// keeps the navigation's aria-current and the heading focus right.

import { refs, show } from "./dom.js";
import { attempt, loadSession } from "./session.js";
import { get, update } from "./store.js";

const ui = refs({ loading: "loading" });
const views = new Map();
let frame = () => {};

/** What every route does before its view (the top bar's "Signed in as"); set once. */
export function onEnter(render) {
  frame = render;
}

/**
 * A view: `enter(arg, reveal)` loads and renders it; it calls `reveal()` once the screen
 * may switch to it (after clearing what must not stay visible from before).
 * `isPublic` views work without a token; `nav` names the navigation link it belongs to.
 */
export function register(name, { enter: load, isPublic = false, nav = name }) {
  const [section, heading] = [`view-${name}`, `${name}-title`];
  views.set(name, { ...refs({ section, heading }), enter: load, isPublic, nav });
}

function reveal(name, navigated) {
  show(ui.loading, false);
  for (const [other, view] of views) show(view.section, other === name);
  const view = views.get(name);
  // After a navigation the heading takes the focus, so screen readers announce the view.
  if (navigated) view.heading.focus();
  for (const a of document.querySelectorAll("[data-nav]")) {
    if (a.dataset.nav === view.nav) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

export function parse(hash) {
  const [, name = null, arg = null] = String(hash).match(/^#\/([a-z]+)(?:\/(.*))?$/) || [];
  return { name, arg: arg === null ? null : decodeURIComponent(arg) };
}

function enter(name, arg, navigated) {
  frame();
  return views.get(name).enter(arg, () => reveal(name, navigated));
}

export async function route(navigated = false) {
  const hash = location.hash || "#/queue";
  const { name, arg } = parse(hash);
  if (get().token && !get().session) {
    await attempt(loadSession);
    if (!get().token) return; // signed out by a 401: the sign-in view is showing
  }
  const target = views.has(name) && name !== "signin" ? name : "queue";
  if (views.get(target).isPublic) return enter(target, arg, navigated);
  if (!get().token) {
    if (name && name !== "signin") update({ afterSignIn: hash });
    return enter("signin", null, navigated);
  }
  if (name === "signin") {
    location.hash = "#/queue";
    return undefined;
  }
  if (target === "claim" && !arg) return enter("queue", null, navigated);
  return enter(target, arg, navigated);
}

/** Where to go after signing in: where the user was headed, or the queue. */
export function goAfterSignIn() {
  const wanted = get().afterSignIn || "#/queue";
  update({ afterSignIn: null });
  if (location.hash === wanted) route();
  else location.hash = wanted;
}

/** After a sign-out: the sign-in view, with the reason in the alert. */
export function showSignedOut(message, showError) {
  if (location.hash !== "#/signin") {
    if (message && location.hash) update({ afterSignIn: location.hash }); // come back here
    history.pushState(null, "", "#/signin"); // no hashchange: the message must stay
  }
  route();
  if (message) showError(message);
}
