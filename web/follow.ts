// The customer's follow page behind the ticket's QR (/t/<token>): the ticket's number, service,
// place and wait, and "go to counter 4" big with a beep and a vibration when it is called. It
// polls /t/<token>.json on the follow listener every few seconds; no login, no cookies, nothing
// personal, nothing stored on the phone. Its words are strings-follow.ts (also spread into
// i18n.ts), read here directly so the bundle stays small; after the phone's language, with a switch.
import { FOLLOW_STRINGS } from "./lib/strings-follow.js";

const LANGUAGES = ["et", "en", "ru"] as const;
type Lang = (typeof LANGUAGES)[number];
type StringKey = keyof typeof FOLLOW_STRINGS;

const browserLang = navigator.language.slice(0, 2);
let current: Lang = (LANGUAGES as readonly string[]).includes(browserLang) ? (browserLang as Lang) : "et";
const lang = () => current;
function t(key: StringKey, vars: Record<string, string | number> = {}): string {
  return FOLLOW_STRINGS[key][current].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ""));
}
function pick(texts: Partial<Record<string, string>>, fallback: string): string {
  return texts[current] ?? texts.en ?? texts.et ?? texts.ru ?? fallback;
}
function setLang(next: Lang): void {
  current = next;
  document.documentElement.lang = next;
  render();
}

interface Status {
  state: string;
  number?: string;
  service?: { id: string; names: Partial<Record<string, string>> };
  ahead?: number;
  estimatedWait?: { minMinutes: number; maxMinutes: number };
  counter?: { id: string; place: string };
  recalls?: number;
  reissuedFrom?: string;
}

/** Every 5 s (?poll=<ms>, at least 250, for tests). */
const POLL_MS = Math.max(250, Number(new URLSearchParams(location.search).get("poll")) || 5000);
const FINAL = new Set(["finished", "cancelled", "no_show", "expired", "invalid"]);
const LANGUAGE_NAMES: Record<Lang, string> = { et: "Eesti", en: "English", ru: "Русский" };
const token = location.pathname.split("/").pop() ?? "";

let status: Status | null = null;
let problem: StringKey | null = null;
let updatedAt: Date | null = null;
/** The call last sounded: "<counter>#<recalls>", so each call and recall sounds once. */
let sounded: string | null = null;
let audio: AudioContext | null = null;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function placeText(counter: NonNullable<Status["counter"]>): string {
  const key = `follow_place_${counter.place}`;
  return t(key in FOLLOW_STRINGS ? (key as StringKey) : "follow_place_counter", { id: counter.id });
}

function beep(): void {
  document.body.dataset.beeps = String(Number(document.body.dataset.beeps ?? 0) + 1);
  try {
    audio ??= new AudioContext();
    void audio.resume().catch(() => {});
    const now = audio.currentTime;
    for (const [i, freq] of [880, 660, 880].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.25, now + i * 0.3);
      gain.gain.exponentialRampToValueAtTime(0.001, now + i * 0.3 + 0.25);
      osc.connect(gain).connect(audio.destination);
      osc.start(now + i * 0.3);
      osc.stop(now + i * 0.3 + 0.27);
    }
  } catch {
    // No Web Audio here: the vibration and the big text still say it.
  }
  try {
    navigator.vibrate?.([300, 150, 300, 150, 300]);
  } catch {
    // Not allowed on this phone.
  }
}

function statusBox(s: Status): HTMLElement {
  const box = el("section", "status");
  box.id = "status";
  box.dataset.state = s.state;
  box.setAttribute("aria-live", "assertive");
  const line = (text: string, className?: string) => box.append(el("p", className, text));
  switch (s.state) {
    case "waiting":
      line(s.ahead ? t("follow_ahead", { n: s.ahead }) : t("follow_aheadNone"));
      if (s.estimatedWait)
        line(t("follow_wait", { min: s.estimatedWait.minMinutes, max: s.estimatedWait.maxMinutes }));
      line(t("follow_waiting"), "note");
      break;
    case "called":
      line(s.recalls ? t("follow_recalled") : t("follow_called"));
      if (s.counter) line(placeText(s.counter), "goto");
      break;
    case "serving":
      line(t("follow_serving"));
      if (s.counter) line(placeText(s.counter), "goto");
      break;
    case "parked":
      line(t("follow_parked"));
      break;
    case "finished":
      line(t("follow_finished"));
      break;
    case "cancelled":
      line(t("follow_cancelled"));
      break;
    case "no_show":
      line(t("follow_noShow"));
      break;
    default:
      line(t("follow_invalid"));
  }
  return box;
}

function render(): void {
  document.title = status?.number ? `${status.number} · vooru` : "vooru";
  const langs = el("nav", "langs");
  langs.setAttribute("aria-label", t("follow_language"));
  for (const l of LANGUAGES) {
    const b = el("button", undefined, LANGUAGE_NAMES[l]);
    b.type = "button";
    b.lang = l;
    b.dataset.lang = l;
    b.setAttribute("aria-pressed", String(l === lang()));
    b.addEventListener("click", () => setLang(l));
    langs.append(b);
  }
  const main = el("main");
  main.append(el("h1", undefined, t("follow_title")));
  if (status?.number) {
    const number = el("p", "number", status.number);
    number.id = "number";
    main.append(number);
    if (status.service) main.append(el("p", "service", pick(status.service.names, status.service.id)));
    if (status.reissuedFrom && !FINAL.has(status.state))
      main.append(el("p", "note", t("follow_reissued", { old: status.reissuedFrom, number: status.number })));
  }
  main.append(status ? statusBox(status) : el("p", "note", t("follow_loading")));
  if (problem) main.append(el("p", "note", t(problem)));
  if (status && !FINAL.has(status.state)) {
    const on = audio?.state === "running";
    const sound = el("button", "sound", on ? t("follow_soundIsOn") : t("follow_soundOn"));
    sound.setAttribute("aria-pressed", String(on));
    sound.type = "button";
    sound.addEventListener("click", () => {
      // Phones play sound only after a tap: this one unlocks it for the call.
      audio ??= new AudioContext();
      audio.resume().then(render, render);
    });
    main.append(sound);
  }
  if (updatedAt) {
    const time = updatedAt.toLocaleTimeString(lang(), {
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    main.append(el("p", "note", t("follow_updated", { time })));
  }
  document.body.replaceChildren(langs, main);
}

async function poll(): Promise<void> {
  let next = POLL_MS;
  try {
    const res = await fetch(`${encodeURIComponent(token)}.json`, { cache: "no-store", credentials: "omit" });
    if (res.status === 429) {
      problem = "follow_busy";
      next = Math.max(POLL_MS, Number(res.headers.get("retry-after") ?? 0) * 1000);
    } else if (res.ok || res.status === 404) {
      status = (await res.json()) as Status;
      problem = null;
      updatedAt = new Date();
    } else problem = "follow_offline";
  } catch {
    problem = "follow_offline";
  }
  if (status && (status.state === "called" || status.state === "serving") && status.counter) {
    const call = `${status.counter.id}#${status.recalls ?? 0}`;
    if (status.state === "called" && sounded !== call) beep();
    sounded = call;
  } else if (status) sounded = null;
  render();
  if (!status || !FINAL.has(status.state)) setTimeout(() => void poll(), next);
}

document.documentElement.lang = lang();
render();
void poll();
