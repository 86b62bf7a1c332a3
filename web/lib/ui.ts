// Small DOM helpers shared by the pages: element building, the page header (navigation, language
// switch, connection state, who is signed in and "sign out"), the sign-in form in place of the
// page while the broker asks who this is, the message line that shows each reply, and
// waited-time formatting.
import type { Access, OfficeConnection, PageReply } from "./connection.js";
import { forgetCredentials, storedCredentials } from "./credentials.js";
import { h } from "./dom.js";
import { LANGUAGES, type Lang, lang, onLangChange, type StringKey, setLang, t, tMaybe } from "./i18n.js";
import { signInView } from "./sign-in.js";

export { h } from "./dom.js";

type Child = Node | string | null | undefined | false;

/** Replaces an element's children, keeping focus on an element with the same id if it had it. */
export function replace(parent: Element, ...children: Child[]): void {
  const focused = document.activeElement?.id;
  parent.replaceChildren(
    ...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false),
  );
  if (focused) {
    const again = document.getElementById(focused);
    if (again && again !== document.activeElement) again.focus();
  }
}

const PAGES: Array<[string, StringKey]> = [
  ["/counter.html", "pageCounter"],
  ["/desk.html", "pageDesk"],
  ["/kiosk.html", "pageKiosk"],
  ["/board.html", "pageBoard"],
  ["/stats.html", "pageStats"],
];

export interface PageFrame {
  main: HTMLElement;
  /** Shows a reply (or any message) to the user, read out by screen readers. */
  say(text: string, kind?: "ok" | "error" | "info"): void;
  /**
   * Follows the connection: its state in the header, the sign-in form instead of the page while
   * the broker refuses it as not authorized, and who is signed in with a "sign out" button.
   */
  attach(connection: Pick<OfficeConnection, "onAccessChange" | "signIn" | "signOut">): void;
}

/** The header every page shares. `render` runs again when the language changes. */
export function pageFrame(
  titleKey: StringKey,
  render: () => void,
  titleVars: Record<string, string> = {},
): PageFrame {
  const title = h("h1", { id: "page-title" });
  const nav = h("nav", { "aria-label": "vooru" });
  const select = h("select", { id: "lang", "aria-label": t("language") });
  for (const code of LANGUAGES) select.append(h("option", { value: code }, code.toUpperCase()));
  select.value = lang();
  select.addEventListener("change", () => setLang(select.value as Lang));
  const langLabel = h("label", { for: "lang", class: "lang-label" });
  const connection = h("span", { class: "conn", role: "status" });
  const account = h("span", { class: "account" });
  const message = h("p", { id: "message", class: "message", role: "status", "aria-live": "polite" });
  const main = h("main", { id: "main" });
  /** null: the page has no connection (the start page). */
  let access: Access | null = null;
  let attached: Pick<OfficeConnection, "signIn" | "signOut"> | null = null;
  const signIn = signInView((credentials) => attached?.signIn(credentials));
  const signOut = () => {
    if (attached) attached.signOut();
    else {
      forgetCredentials();
      paint();
    }
    frame.say(t("signedOut"), "info");
  };
  const paint = () => {
    document.documentElement.lang = lang();
    title.textContent = t(titleKey, titleVars);
    document.title = `${title.textContent} · vooru`;
    langLabel.textContent = t("language");
    select.setAttribute("aria-label", t("language"));
    replace(
      nav,
      h("a", { href: "/" }, t("home")),
      ...PAGES.map(([href, key]) =>
        h("a", { href, ...(location.pathname === href ? { "aria-current": "page" } : {}) }, t(key)),
      ),
    );
    const kind = access?.kind ?? "connecting";
    connection.textContent = {
      connecting: t("connecting"),
      connected: t("connected"),
      disconnected: t("disconnected"),
      "sign-in": t("signInNeeded"),
    }[kind];
    connection.className = `conn ${kind === "connected" ? "conn-ok" : "conn-bad"}`;
    // Who is signed in: the connection's user, or on a page without one the tab's stored sign-in.
    const user = access
      ? access.kind === "connected"
        ? access.username
        : null
      : (storedCredentials()?.username ?? null);
    replace(
      account,
      user ? h("span", { id: "signed-in-as" }, t("signedInAs", { user })) : null,
      user
        ? h("button", { type: "button", id: "sign-out", class: "sign-out", onclick: signOut }, t("signOut"))
        : null,
    );
    signIn.paint();
  };
  document.body.replaceChildren(
    h("a", { href: "#main", class: "skip" }, "↓"),
    h(
      "header",
      {},
      h("div", { class: "bar" }, title, h("span", { class: "lang" }, langLabel, select), connection, account),
      nav,
    ),
    message,
    signIn.element,
    main,
  );
  paint();
  onLangChange(() => {
    select.value = lang();
    paint();
    render();
  });
  const frame: PageFrame = {
    main,
    say(text, kind = "info") {
      message.textContent = text;
      message.className = `message message-${kind}`;
    },
    attach(source) {
      attached = source;
      source.onAccessChange((next) => {
        const wasSigningIn = !signIn.element.hidden;
        access = next;
        const signingIn = signIn.show(next);
        main.hidden = signingIn;
        if (wasSigningIn && next.kind === "connected" && next.username)
          frame.say(t("signedInAs", { user: next.username }), "ok");
        paint();
      });
    },
  };
  return frame;
}

/** What a reply means to the user: done, or the error code with a translated explanation. */
export function describeReply(reply: PageReply, what: string): { text: string; ok: boolean } {
  if (reply.ok) return { text: t("done", { what }), ok: true };
  const { code, message } = reply.error;
  const translated = tMaybe(`e_${code}`, "");
  return {
    text: t("failed", { code, message: translated ? `${translated} — ${message}` : message }),
    ok: false,
  };
}

/** Minutes and seconds since an ISO time: "12:05", or "1:02:05" past an hour. */
export function waited(sinceIso: string, now = Date.now()): string {
  const total = Math.max(0, Math.floor((now - Date.parse(sinceIso)) / 1000));
  const s = String(total % 60).padStart(2, "0");
  const m = Math.floor(total / 60) % 60;
  const hours = Math.floor(total / 3600);
  return hours > 0 ? `${hours}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** Keeps every [data-since] element's text at the time waited since then, once a second. */
export function tickWaited(): void {
  setInterval(() => {
    for (const element of document.querySelectorAll<HTMLElement>("[data-since]"))
      element.textContent = waited(element.dataset.since ?? "");
  }, 1000);
}

export function label(text: string, control: HTMLElement): HTMLLabelElement {
  return h("label", { for: control.id }, text);
}

/** Sends a request and shows its reply on the page's message line. */
export function actor(
  connection: {
    request(
      target: import("../../protocols/mqtt/topics.js").RequestTarget,
      args?: Record<string, unknown>,
    ): Promise<PageReply>;
  },
  frame: PageFrame,
) {
  return async (
    target: import("../../protocols/mqtt/topics.js").RequestTarget,
    args: Record<string, unknown>,
    what: string,
  ): Promise<PageReply> => {
    const reply = await connection.request(target, args);
    const shown = describeReply(reply, what);
    frame.say(shown.text, shown.ok ? "ok" : "error");
    return reply;
  };
}
