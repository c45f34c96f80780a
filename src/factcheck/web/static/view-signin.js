// Sign-in view, and the "Signed in as" box in the top bar.

import { ApiError, describe } from "./api.js";
import { clearFieldErrors, fieldError, refs, setText, show } from "./dom.js";
import { clearError, notify } from "./messages.js";
import { goAfterSignIn } from "./router.js";
import { signIn, signOut } from "./session.js";
import { get } from "./store.js";

const ui = refs({
  form: "signin-form",
  token: "signin-token",
  who: "who",
  whoName: "who-name",
  whoRole: "who-role",
  signOut: "sign-out",
});

/** The top bar's "Signed in as": shown while there is a session. */
export function renderWho() {
  const { session } = get();
  setText(ui.whoName, session ? session.name : "");
  setText(ui.whoRole, session ? session.role : "");
  show(ui.who, Boolean(session));
}

function refuse(text) {
  fieldError(ui.form, "token", text);
  ui.token.focus();
}

async function onSubmit(event) {
  event.preventDefault();
  clearFieldErrors(ui.form);
  clearError();
  const token = ui.token.value.trim();
  if (!token) {
    refuse("Enter your API token.");
    return;
  }
  try {
    await signIn(token);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      refuse(`This token was not accepted: ${error.message} Check that you copied all of it.`);
    } else {
      refuse(`Could not sign in: ${describe(error)}`);
    }
    return;
  }
  ui.form.reset();
  renderWho();
  goAfterSignIn();
}

export function init() {
  ui.form.addEventListener("submit", onSubmit);
  ui.signOut.addEventListener("click", () => {
    signOut(null);
    notify("Signed out.");
  });
}

export async function enter(_arg, reveal) {
  reveal();
  document.title = "Sign in · factcheck";
  ui.token.focus();
}
