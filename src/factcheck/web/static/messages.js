// The page's two message areas: the alert (errors, role="alert") and the notice (what
// just happened, role="status").

import { refs, setText, show } from "./dom.js";

const ui = refs({ alert: "alert", alertText: "alert-text", alertClose: "alert-close", notice: "notice" });

ui.alertClose.addEventListener("click", () => clearError());

export function notify(text) {
  setText(ui.notice, text);
}

export function showError(message) {
  setText(ui.alertText, message);
  show(ui.alert, true);
}

export function clearError() {
  show(ui.alert, false);
  setText(ui.alertText, "");
}

export function errorShowing() {
  return !ui.alert.hidden;
}

export function clearMessages() {
  clearError();
  notify("");
}
