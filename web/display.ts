// The waiting room's TV (/display, or /display?zone=<zone> for one waiting area): the newest call
// large ("A023", "→ 4", "Counter 4"), blinking a few times on a call and on a recall; the previous
// calls below it; how many wait per service; the clock. The labels cycle through the office's
// languages; numbers stay. With sound on, each new call is spoken with the clips, in the order
// and with the pauses, the controller's speakers use (protocols/announce/spoken-call.ts).
//
// Data: the retained calls/{zone} (newest first), services/{service} and info. A call is new
// when a live calls/{zone} message brings a newest entry (ticket + at) not seen before; the
// stored copy a (re)connection delivers shows the state without blinking or sound. There is
// nothing personal in the data, and nothing personal is shown.
//
// URL options: zone=<zone> (default: every zone), history=<n> (previous calls shown, default 6,
// 0-20), sound=on (start with sound on: for Chromium started with
// --autoplay-policy=no-user-gesture-required; otherwise the "Sound on" button starts it).
import type { z } from "zod";
import { type ClipStep, callAnnouncement } from "../protocols/announce/spoken-call.js";
import { statusSchema, zoneCallsSchema } from "../protocols/mqtt/schemas.js";
import { AnnounceQueue } from "./lib/announce-queue.js";
import { ClipPlayer } from "./lib/clip-player.js";
import { type Access, connectOffice, type OfficeConnection } from "./lib/connection.js";
import { callElement, historyElement, placeWords, waitingElement } from "./lib/display-view.js";
import { h } from "./lib/dom.js";
import { LANGUAGES, type Lang, type StringKey, tIn } from "./lib/i18n.js";
import { isNewer, type OfficeState, trackOffice } from "./lib/office-state.js";
import { signInView } from "./lib/sign-in.js";

type ZoneCalls = z.infer<typeof zoneCallsSchema>;
type Call = ZoneCalls["calls"][number];
type Announce = ZoneCalls["announce"];

/** After a (re)connection, the display counts as ready this soon even if a zone sent nothing. */
const RETAINED_WINDOW_MS = 3000;
/** How long the first connection may take before the page says plainly that it is not connected. */
const FIRST_CONNECT_GRACE_MS = 5000;
const LANGUAGE_CYCLE_MS = 8000;
const ZONE_ID = /^[A-Za-z0-9_-]{1,32}$/;

// ------------------------------------------------------------------ URL options

const params = new URLSearchParams(location.search);
const zoneParam = params.get("zone");
/** The one zone shown, or null for all of them. */
const zone = zoneParam && ZONE_ID.test(zoneParam) ? zoneParam : null;
const historySize = (() => {
  const n = Number(params.get("history") ?? "6");
  return Number.isInteger(n) ? Math.min(20, Math.max(0, n)) : 6;
})();

// ------------------------------------------------------------------ the page

const nowLabel = h("h2", { id: "now-label", class: "now-label" });
const nowSlot = h("div", { id: "now", class: "now-slot", "aria-live": "polite" });
const historyLabel = h("h2", { id: "history-label", class: "history-label" });
const historyList = h("ol", { id: "history", class: "history", "aria-labelledby": "history-label" });
const waitingLabel = h("h2", { id: "waiting-label", class: "waiting-label" });
const waitingList = h("ul", { id: "waiting", class: "waiting", "aria-labelledby": "waiting-label" });
const clock = h("time", { id: "clock", class: "clock" });
const status = h("p", { id: "display-status", class: "display-status conn conn-bad", role: "status" });
const soundButton = h("button", { type: "button", id: "sound", class: "sound", "aria-pressed": "false" });
const banner = h(
  "div",
  { id: "display-offline", class: "display-offline", role: "alert", hidden: true },
  ...LANGUAGES.map((l) => h("p", { lang: l }, tIn(l, "displayNotConnected"))),
);
const main = h(
  "main",
  { id: "display", class: "display", "data-ready": "false", "data-zones": "" },
  h("section", { class: "now", "aria-labelledby": "now-label" }, nowLabel, nowSlot),
  historySize > 0
    ? h("section", { class: "previous", "aria-labelledby": "history-label" }, historyLabel, historyList)
    : null,
  h("section", { class: "queue", "aria-labelledby": "waiting-label" }, waitingLabel, waitingList),
  clock,
);
main.style.setProperty("--history-rows", String(Math.max(historySize, 1)));
const signIn = signInView((credentials) => connection?.signIn(credentials));
document.body.classList.add("display-page");
document.body.replaceChildren(
  main,
  banner,
  signIn.element,
  h("div", { class: "display-corner" }, status, soundButton),
);

// ------------------------------------------------------------------ languages and clock

let languages: Lang[] = [...LANGUAGES];
let languageIndex = 0;
const shownLang = (): Lang => languages[languageIndex % languages.length] ?? "et";
setInterval(() => {
  languageIndex = (languageIndex + 1) % languages.length;
  paint();
}, LANGUAGE_CYCLE_MS);

const pad = (n: number) => String(n).padStart(2, "0");
function tickClock(): void {
  const now = new Date();
  const text = `${pad(now.getHours())}:${pad(now.getMinutes())}`;
  if (clock.textContent !== text) {
    clock.textContent = text;
    clock.dateTime = text;
  }
}
tickClock();
setInterval(tickClock, 1000);

// ------------------------------------------------------------------ sound

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const player = new ClipPlayer(() => paint());
const queue = new AnnounceQueue<readonly ClipStep[]>();
let soundWanted = false;
let pumping = false;

/** Plays the queued announcements in turn; a new call never cuts off the one playing. */
async function pump(): Promise<void> {
  if (pumping) return;
  pumping = true;
  try {
    for (;;) {
      const { next, dropped } = queue.next(performance.now());
      for (const entry of dropped)
        console.info(`vooru: the call of ${entry.ticket} waited too long; not spoken`);
      paintQueue();
      if (!next) break;
      try {
        await player.play(next.item);
      } finally {
        queue.finish();
      }
    }
  } finally {
    pumping = false;
    paintQueue();
  }
}

function announce(call: Call, how: Announce): void {
  if (!soundWanted || how.mode === "off") return;
  const steps = callAnnouncement(
    { number: call.number, counter: call.counter, place: call.place },
    how.languages,
    how.mode,
    (clip) => how.ownClips.includes(clip),
  );
  queue.maxAgeMs = how.maxAgeSeconds * 1000;
  queue.offer(`${call.ticket}@${call.counter}`, steps, performance.now());
  player.prefetch(steps);
  paintQueue();
  void pump();
}

function setSound(on: boolean): void {
  soundWanted = on;
  if (on) player.start();
  else {
    queue.clear();
    player.stop();
  }
  paint();
}
soundButton.addEventListener("click", () => setSound(!(soundWanted && player.running)));

// ------------------------------------------------------------------ calls

const zones = new Map<string, ZoneCalls>();
const seen = new Map<string, Set<string>>();
/** Zones whose stored copy came since the current connection was made. */
const primed = new Set<string>();
let currentEpoch: string | null = null;
let connectedAt = 0;
/** The newest call that came live: it blinks when it is drawn. */
let blinkKey: string | null = null;

const keyOf = (call: Call) => `${call.ticket}|${call.at}`;

function onMessage(path: string, text: string, retained: boolean): void {
  if (path === "status") {
    try {
      const parsed = statusSchema.safeParse(JSON.parse(text));
      if (parsed.success && parsed.data.state === "online") currentEpoch = parsed.data.epoch;
    } catch {
      // An empty or broken status: the office state (trackOffice) shows it.
    }
    return;
  }
  if (!path.startsWith("calls/")) return;
  const id = path.slice("calls/".length);
  if (!ZONE_ID.test(id) || (zone !== null && id !== zone)) return;
  if (text === "") {
    zones.delete(id);
    paint();
    return;
  }
  let next: ZoneCalls;
  try {
    const parsed = zoneCallsSchema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      console.warn(`vooru: ${path} does not match the contract`, parsed.error.issues);
      return;
    }
    next = parsed.data;
  } catch {
    console.warn(`vooru: ${path} is not JSON`);
    return;
  }
  const held = zones.get(id);
  if (held && !isNewer(held, next, currentEpoch)) return;
  const wasPrimed = primed.has(id);
  // The broker's stored copy shows the state; only a live message brings a new call.
  const live = !retained;
  primed.add(id);
  const known = seen.get(id) ?? new Set<string>();
  // Live: every entry not seen before is a new call (oldest first). A zone's first message that
  // came too late to be its stored copy counts for its newest entry only.
  const fresh = !live
    ? []
    : (wasPrimed ? next.calls : next.calls.slice(0, 1)).filter((call) => !known.has(keyOf(call)));
  seen.set(id, new Set(next.calls.map(keyOf)));
  zones.set(id, next);
  const newest = next.calls[0];
  if (newest && fresh.includes(newest)) blinkKey = keyOf(newest);
  for (const call of [...fresh].reverse()) announce(call, next.announce);
  updateReady();
  paint();
}

/** The calls shown: the zone's, or every zone's by time; each ticket once, at its newest entry. */
function shownCalls(): Call[] {
  const lists = [...zones.values()].map((z) => z.calls);
  const all =
    lists.length === 1 ? (lists[0] ?? []) : lists.flat().sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  const tickets = new Set<string>();
  return all.filter((call) => !tickets.has(call.ticket) && tickets.add(call.ticket));
}

// ------------------------------------------------------------------ connection

let connection: OfficeConnection | null = null;
let state: OfficeState | null = null;
let access: Access = { kind: "connecting" };
let reachedOnce = false;
let configFailed = false;
const startedAt = performance.now();
let readyTimer: ReturnType<typeof setTimeout> | undefined;

/** The zones this page shows, as far as it knows them. */
function zonesShown(): string[] {
  if (zone !== null) return [zone];
  return [...new Set(state?.info?.counters.map((c) => c.zone) ?? [])];
}

/** data-ready: connected, and a new live message would count as a new call. */
function updateReady(): void {
  const ready =
    access.kind === "connected" &&
    (performance.now() - connectedAt > RETAINED_WINDOW_MS ||
      (state?.info != null && zonesShown().every((z) => primed.has(z))));
  main.dataset.ready = String(ready);
  main.dataset.zones = [...zones.keys()].sort().join(" ");
}

async function connect(): Promise<OfficeConnection> {
  for (let wait = 2000; ; wait = Math.min(wait * 2, 30_000)) {
    try {
      return await connectOffice();
    } catch (error) {
      // The controller's web server is not up (yet): say so, and try again.
      console.warn(`vooru: cannot reach the office (${String(error)}); trying again in ${wait / 1000} s`);
      configFailed = true;
      paint();
      await sleep(wait);
    }
  }
}

// ------------------------------------------------------------------ drawing

let drawnKey: string | null = null;

function paintCalls(lang: Lang): void {
  const info = state?.info;
  const unknownZone =
    (zoneParam !== null && zone === null) ||
    (zone !== null && info != null && !info.counters.some((c) => c.zone === zone) && !zones.has(zone));
  const calls = shownCalls();
  const newest = calls[0];
  if (unknownZone || !newest) {
    const key = unknownZone ? "unknown-zone" : "nobody";
    const text = unknownZone ? tIn(lang, "noSuchZone", { zone: zoneParam ?? "" }) : tIn(lang, "nobodyCalled");
    const shown = nowSlot.querySelector(".now-empty");
    if (drawnKey !== key || !shown) {
      nowSlot.replaceChildren(h("p", { class: "now-empty" }, text));
      drawnKey = key;
    } else if (shown.textContent !== text) shown.textContent = text;
  } else {
    const key = keyOf(newest);
    if (drawnKey !== key) {
      nowSlot.replaceChildren(callElement(newest, lang, key === blinkKey));
      drawnKey = key;
      if (key === blinkKey) blinkKey = null;
    } else {
      const place = nowSlot.querySelector(".now-place");
      const words = placeWords(lang, newest);
      if (place && place.textContent !== words) place.textContent = words;
    }
  }
  historyList.replaceChildren(...calls.slice(1, 1 + historySize).map((call) => historyElement(call, lang)));
  const announced = zone !== null ? zones.get(zone)?.announce : undefined;
  if (announced) main.dataset.announce = `${announced.mode} ${announced.languages.join(",")}`;
}

function paintWaiting(lang: Lang): void {
  const info = state?.info;
  if (!info || !state) {
    waitingList.replaceChildren();
    return;
  }
  const inZone =
    zone === null ? null : new Set(info.counters.filter((c) => c.zone === zone).flatMap((c) => c.services));
  const services = state.services;
  waitingList.replaceChildren(
    ...info.services
      .filter((service) => inZone === null || inZone.has(service.id))
      .map((service) => {
        const held = services.get(service.id);
        return waitingElement(service, held?.waiting ?? 0, held?.open ?? service.open, lang);
      }),
  );
}

function paintConnection(lang: Lang): void {
  const controllerOffline = access.kind === "connected" && state?.online === false;
  const connected = access.kind === "connected" && !controllerOffline;
  const signingIn = !signIn.element.hidden;
  const offline =
    !connected &&
    !signingIn &&
    (reachedOnce ||
      configFailed ||
      controllerOffline ||
      access.kind === "disconnected" ||
      performance.now() - startedAt > FIRST_CONNECT_GRACE_MS);
  document.body.classList.toggle("offline", offline);
  banner.hidden = !offline;
  const key: StringKey = controllerOffline
    ? "controllerOffline"
    : ({
        connecting: "connecting",
        connected: "connected",
        disconnected: "disconnected",
        "sign-in": "signInNeeded",
      }[access.kind] as StringKey);
  status.textContent = tIn(lang, key);
  status.className = `display-status conn ${connected ? "conn-ok" : "conn-bad"}`;
}

function paintSound(lang: Lang): void {
  const on = soundWanted && player.running;
  soundButton.textContent = tIn(lang, on ? "soundOff" : "soundOn");
  soundButton.setAttribute("aria-pressed", String(on));
  soundButton.dataset.sound = on ? "on" : "off";
  soundButton.className = `sound${on ? " sound-on" : ""}`;
}

/** What is being spoken and what waits its turn, for whoever looks (the e2e test). */
function paintQueue(): void {
  const playing = queue.playing;
  document.body.dataset.speaking = playing?.ticket ?? "";
  document.body.dataset.waiting = queue
    .tickets()
    .slice(playing ? 1 : 0)
    .join(" ");
}

function paint(): void {
  const lang = shownLang();
  document.documentElement.lang = lang;
  document.title = `${tIn(lang, "displayTitle")} · vooru`;
  nowLabel.textContent = tIn(lang, "nowCalling");
  historyLabel.textContent = tIn(lang, "lastCalls");
  waitingLabel.textContent = tIn(lang, "waitingNow");
  paintCalls(lang);
  paintWaiting(lang);
  paintConnection(lang);
  paintSound(lang);
}

paint();
if (params.get("sound") === "on") setSound(true);
// The first connection may take a while: after the grace time the page says it is not connected.
setTimeout(paint, FIRST_CONNECT_GRACE_MS + 50);

const office = await connect();
connection = office;
state = trackOffice(office, (next) => {
  const spoken = (next.info?.office.languages ?? []).filter((l): l is Lang =>
    (LANGUAGES as readonly string[]).includes(l),
  );
  languages = spoken.length > 0 ? spoken : [...LANGUAGES];
  updateReady();
  paint();
});
office.onMessage(onMessage);
office.onAccessChange((next) => {
  const was = access.kind;
  access = next;
  if (next.kind === "connected" && was !== "connected") {
    reachedOnce = true;
    connectedAt = performance.now();
    primed.clear();
    clearTimeout(readyTimer);
    readyTimer = setTimeout(updateReady, RETAINED_WINDOW_MS + 50);
  }
  signIn.show(next);
  updateReady();
  paint();
});
