// The sign-in form a page shows instead of its content when the broker refuses the connection as
// not authorized: username and password, labelled, keyboard- and phone-ready, a translated
// "wrong username or password" after a refusal. The form is posted to no server: its submit
// event is always cancelled (method="post" only so that a failed script could never put the
// password in a URL), and the credentials go to the connection, which keeps them in
// sessionStorage for the tab's other pages.
import type { Access } from "./connection.js";
import type { Credentials } from "./credentials.js";
import { h } from "./dom.js";
import { t } from "./i18n.js";

export interface SignInView {
  element: HTMLElement;
  /** Follows the connection: visible while it waits for a sign-in (or is trying the one just given). */
  show(access: Access): boolean;
  /** Texts again, in the current language. */
  paint(): void;
}

export function signInView(submit: (credentials: Credentials) => void): SignInView {
  const heading = h("h2", { id: "sign-in-h" });
  const note = h("p", { id: "sign-in-note", class: "sign-in-note" });
  const username = h("input", {
    id: "sign-in-username",
    name: "username",
    type: "text",
    autocomplete: "username",
    autocapitalize: "none",
    spellcheck: "false",
    required: true,
    maxlength: 64,
  });
  const password = h("input", {
    id: "sign-in-password",
    name: "password",
    type: "password",
    autocomplete: "current-password",
    required: true,
  });
  const usernameLabel = h("label", { for: username.id });
  const passwordLabel = h("label", { for: password.id });
  const error = h("p", { id: "sign-in-error", class: "sign-in-error", role: "alert" });
  const button = h("button", { type: "submit", id: "sign-in-submit", class: "primary" });
  const form = h(
    "form",
    { method: "post", action: "#", "aria-describedby": note.id },
    h("div", { class: "field" }, usernameLabel, username),
    h("div", { class: "field" }, passwordLabel, password),
    error,
    h("div", { class: "buttons" }, button),
  );
  const element = h(
    "section",
    { id: "sign-in", class: "panel sign-in", "aria-labelledby": heading.id, hidden: true },
    heading,
    note,
    form,
  );

  let refused = false;
  let submitting = false;

  const paint = () => {
    heading.textContent = t("signInTitle");
    note.textContent = t("signInNote");
    usernameLabel.textContent = t("username");
    passwordLabel.textContent = t("password");
    button.textContent = submitting ? t("signingIn") : t("signInButton");
    button.disabled = submitting;
    error.textContent = refused && !submitting ? t("signInRefused") : "";
    for (const input of [username, password]) {
      if (refused && !submitting) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", error.id);
      } else {
        input.removeAttribute("aria-invalid");
        input.removeAttribute("aria-describedby");
      }
    }
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (submitting) return;
    const name = username.value.trim();
    if (!name || !password.value) return;
    submitting = true;
    paint();
    const credentials = { username: name, password: password.value };
    // The field is emptied at once: the password lives on only in the connection and sessionStorage.
    password.value = "";
    submit(credentials);
  });

  return {
    element,
    paint,
    show(access) {
      const wasHidden = element.hidden;
      if (access.kind === "sign-in") {
        submitting = false;
        refused = access.refused;
        // A refused name stays for a retry; after a sign-out the next person starts from empty fields.
        username.value = access.username;
        password.value = "";
      } else if (access.kind !== "connecting") {
        submitting = false;
        refused = false;
      }
      const visible = access.kind === "sign-in" || (submitting && access.kind === "connecting");
      element.hidden = !visible;
      paint();
      if (access.kind === "sign-in" && (wasHidden || refused)) (username.value ? password : username).focus();
      return visible;
    },
  };
}
