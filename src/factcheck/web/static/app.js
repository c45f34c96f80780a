// factcheck review page: ES modules over the JSON API, loaded as they are (no build step).
//
//   app.js        this file: registers the views and starts the router
//   store.js      the page's state, owned in one place (get / update)
//   api.js        the API client (token in the header only, errors as ApiError)
//   session.js    sign in and out, permissions, running an action on the user's behalf
//   router.js     hash routes -> views
//   dom.js        text-only DOM helpers and the API's field errors next to their fields
//   format.js     one way to write times, statuses, numbers and quantities
//   messages.js   the alert and the notice
//   view-*.js     one module per view (claim-parts.js and export.js are parts of two)
//
// Rules every module keeps: strings from the API reach the DOM through textContent or
// setAttribute only; the token lives in sessionStorage and the Authorization header,
// never in a URL; every API error is shown with the API's own message; what a user may do
// to a claim is the API's `allowed_actions`, never a rule worked out here.

import { describe } from "./api.js";
import { clearMessages, showError } from "./messages.js";
import { onEnter, register, route, showSignedOut } from "./router.js";
import { onSignedOut } from "./session.js";
import * as claim from "./view-claim.js";
import * as article from "./view-document.js";
import * as published from "./view-published.js";
import * as queue from "./view-queue.js";
import * as signin from "./view-signin.js";

register("signin", { enter: signin.enter });
register("queue", { enter: queue.enter });
register("claim", { enter: claim.enter, nav: "queue" });
register("document", { enter: article.enter, nav: "queue" });
register("published", { enter: published.enter, isPublic: true });
for (const view of [signin, queue, claim, article, published]) view.init();

onEnter(signin.renderWho);
onSignedOut((message) => showSignedOut(message, showError));

window.addEventListener("hashchange", () => {
  clearMessages();
  route(true);
});
window.addEventListener("error", (event) => showError(describe(event.error || event.message)));
window.addEventListener("unhandledrejection", (event) => showError(describe(event.reason)));

route();
