// The pages' words in Estonian, English and Russian: one table for all pages (the manager's
// statistics and audit words are in strings-manager.ts, the follow page's in strings-follow.ts,
// spread into it). The chosen language is remembered in localStorage.

import { type Entry, LANGUAGES, type Lang } from "./languages.js";
import { APPOINTMENT_STRINGS } from "./strings-appointments.js";
import { FOLLOW_STRINGS } from "./strings-follow.js";
import { MANAGER_STRINGS } from "./strings-manager.js";

export { LANGUAGES, type Lang } from "./languages.js";

const STRINGS = {
  appName: { et: "vooru", en: "vooru", ru: "vooru" },
  language: { et: "Keel", en: "Language", ru: "Язык" },
  home: { et: "Avaleht", en: "Home", ru: "Главная" },
  connecting: { et: "Ühendan…", en: "Connecting…", ru: "Подключение…" },
  connected: { et: "Ühendatud", en: "Connected", ru: "Подключено" },
  disconnected: {
    et: "Ühendus katkes, proovin uuesti…",
    en: "Disconnected, retrying…",
    ru: "Нет связи, повтор…",
  },
  controllerOffline: {
    et: "Kontroller ei tööta",
    en: "The controller is offline",
    ru: "Контроллер не работает",
  },
  // sign-in (connection.ts, sign-in.ts)
  signInNeeded: { et: "Vaja sisse logida", en: "Sign-in needed", ru: "Нужен вход" },
  signInTitle: { et: "Logi sisse", en: "Sign in", ru: "Вход" },
  signInNote: {
    et: "See büroo küsib, kes sa oled: kasuta IT-toe antud kasutajanime ja parooli. Brauser unustab need, kui see suletakse.",
    en: "This office asks who you are: use the username and password IT support gave you. The browser forgets them when it is closed.",
    ru: "Это бюро спрашивает, кто вы: введите имя пользователя и пароль от ИТ-поддержки. Браузер забудет их, когда его закроют.",
  },
  username: { et: "Kasutajanimi", en: "Username", ru: "Имя пользователя" },
  password: { et: "Parool", en: "Password", ru: "Пароль" },
  signInButton: { et: "Logi sisse", en: "Sign in", ru: "Войти" },
  signingIn: { et: "Login sisse…", en: "Signing in…", ru: "Вход…" },
  signInRefused: {
    et: "Vale kasutajanimi või parool. Proovi uuesti.",
    en: "Wrong username or password. Try again.",
    ru: "Неверное имя пользователя или пароль. Попробуйте ещё раз.",
  },
  signedInAs: { et: "Sisse logitud: {user}", en: "Signed in as {user}", ru: "Вход выполнен: {user}" },
  signOut: { et: "Logi välja", en: "Sign out", ru: "Выйти" },
  signedOut: { et: "Välja logitud", en: "Signed out", ru: "Вы вышли" },
  notAllowedHere: {
    et: "{user} ei tohi laua {id} eest tegutseda: siinsed päringud lükatakse tagasi (UNAUTHORIZED, pole lubatud).",
    en: "{user} may not act for counter {id}: requests here are refused (UNAUTHORIZED, not allowed).",
    ru: "{user} не может работать за окном {id}: запросы здесь отклоняются (UNAUTHORIZED, не разрешено).",
  },
  goToOwnCounter: {
    et: "Mine oma lauda {id}",
    en: "Go to your counter {id}",
    ru: "Перейти к своему окну {id}",
  },
  signInOther: {
    et: "Logi sisse teise kasutajana",
    en: "Sign in as someone else",
    ru: "Войти под другим именем",
  },
  // index
  indexTitle: { et: "Vooru lehed", en: "vooru pages", ru: "Страницы vooru" },
  indexIntro: {
    et: "Simuleeritud büroo: iga leht räägib kontrolleriga ainult MQTT kaudu.",
    en: "The simulated office: every page talks to the controller over MQTT only.",
    ru: "Симулированное бюро: каждая страница общается с контроллером только по MQTT.",
  },
  pageCounter: { et: "Teenindaja laud", en: "Counter", ru: "Окно обслуживания" },
  pageCounterNote: {
    et: "kutsu, teeninda, suuna ümber",
    en: "call, serve, transfer",
    ru: "вызов, обслуживание, перевод",
  },
  pageDesk: { et: "Infolaud", en: "Information desk", ru: "Справочная" },
  pageDeskNote: {
    et: "kogu järjekord, piletid käsitsi, seadmed",
    en: "the whole queue, tickets by hand, devices",
    ru: "вся очередь, талоны вручную, устройства",
  },
  pageKiosk: { et: "Kiosk", en: "Kiosk", ru: "Киоск" },
  pageKioskNote: {
    et: "nupupaneel, printer ja simulaatori lülitid",
    en: "button panel, printer and simulator switches",
    ru: "кнопки, принтер и переключатели симулятора",
  },
  pageBoard: { et: "Ooteruum", en: "Waiting room", ru: "Зал ожидания" },
  pageDisplay: { et: "Teleriekraan", en: "TV display", ru: "Экран для телевизора" },
  pageStats: { et: "Statistika", en: "Statistics", ru: "Статистика" },
  pageStatsNote: {
    et: "Juhatajale: ooteajad, teenindustase, mitteilmunud ja valed piletid, täna ja mis tahes päevadel",
    en: "For the manager: waits, service level, no-shows and wrong tickets, today and any range of days",
    ru: "Для руководителя: ожидание, уровень обслуживания, неявки и неверные талоны, сегодня и за любые дни",
  },
  pageDisplayNote: {
    et: "täisekraan ooteruumi telerile, heliga",
    en: "full screen for the waiting room's TV, with sound",
    ru: "во весь экран для телевизора в зале, со звуком",
  },
  pageBoardNote: {
    et: "tablood nagu need praegu näitavad",
    en: "the boards as they show now",
    ru: "табло в их текущем виде",
  },
  // counter
  chooseCounter: { et: "Vali laud", en: "Choose a counter", ru: "Выберите окно" },
  counterN: { et: "Laud {id}", en: "Counter {id}", ru: "Окно {id}" },
  noSuchCounter: { et: "Lauda {id} pole", en: "There is no counter {id}", ru: "Окна {id} нет" },
  status: { et: "Olek", en: "Status", ru: "Состояние" },
  st_open: { et: "avatud", en: "open", ru: "открыто" },
  st_paused: { et: "paus", en: "paused", ru: "пауза" },
  st_closed: { et: "suletud", en: "closed", ru: "закрыто" },
  open: { et: "Ava", en: "Open", ru: "Открыть" },
  pause: { et: "Paus", en: "Pause", ru: "Пауза" },
  close: { et: "Sulge", en: "Close", ru: "Закрыть" },
  currentTicket: { et: "Praegune pilet", en: "Current ticket", ru: "Текущий талон" },
  noTicket: { et: "Pole piletit", en: "No ticket", ru: "Нет талона" },
  callNext: { et: "Kutsu järgmine", en: "Call next", ru: "Вызвать следующего" },
  recall: { et: "Kutsu uuesti", en: "Recall", ru: "Повторный вызов" },
  start: { et: "Alusta", en: "Start", ru: "Начать" },
  finish: { et: "Lõpeta", en: "Finish", ru: "Завершить" },
  noShow: { et: "Ei tulnud", en: "No-show", ru: "Не явился" },
  return: { et: "Tagasi järjekorda", en: "Return to queue", ru: "Вернуть в очередь" },
  park: { et: "Ootele", en: "Park", ru: "Отложить" },
  resume: { et: "Jätka", en: "Resume", ru: "Вернуть" },
  transfer: { et: "Suuna ümber", en: "Transfer", ru: "Перевести" },
  transferTo: { et: "Teenus, kuhu suunata", en: "Transfer to service", ru: "Перевести в услугу" },
  call: { et: "Kutsu", en: "Call", ru: "Вызвать" },
  waitingList: { et: "Ootel", en: "Waiting", ru: "Ожидают" },
  parkedList: { et: "Ootele pandud", en: "Parked", ru: "Отложенные" },
  nobodyWaiting: { et: "Keegi ei oota", en: "Nobody is waiting", ru: "Никто не ждёт" },
  number: { et: "Number", en: "Number", ru: "Номер" },
  service: { et: "Teenus", en: "Service", ru: "Услуга" },
  waited: { et: "Oodanud", en: "Waited", ru: "Ждёт" },
  state: { et: "Olek", en: "State", ru: "Состояние" },
  counter: { et: "Laud", en: "Counter", ru: "Окно" },
  actions: { et: "Tegevused", en: "Actions", ru: "Действия" },
  recalls: { et: "korduskutseid: {n}", en: "recalls: {n}", ru: "повторов: {n}" },
  shortcuts: {
    et: "Kiirklahvid: N kutsu järgmine, R kutsu uuesti, S alusta, F lõpeta (või Alt+täht).",
    en: "Shortcuts: N call next, R recall, S start, F finish (or Alt+letter).",
    ru: "Клавиши: N следующий, R повтор, S начать, F завершить (или Alt+буква).",
  },
  ts_waiting: { et: "ootel", en: "waiting", ru: "ждёт" },
  ts_called: { et: "kutsutud", en: "called", ru: "вызван" },
  ts_serving: { et: "teeninduses", en: "serving", ru: "обслуживается" },
  ts_parked: { et: "ootele pandud", en: "parked", ru: "отложен" },
  // desk
  queueByService: { et: "Järjekord teenuste kaupa", en: "Queue by service", ru: "Очередь по услугам" },
  issueTicket: { et: "Anna pilet", en: "Issue a ticket", ru: "Выдать талон" },
  issue: { et: "Anna pilet", en: "Issue", ru: "Выдать" },
  printer: { et: "Printer", en: "Printer", ru: "Принтер" },
  noPrinter: { et: "ilma printerita (käsitsi)", en: "no printer (by hand)", ru: "без принтера (вручную)" },
  fixTicket: {
    et: "Vale pilet: tühista või anna uus",
    en: "Wrong ticket: cancel or reissue",
    ru: "Неверный талон: отменить или перевыдать",
  },
  ticket: { et: "Pilet", en: "Ticket", ru: "Талон" },
  reason: { et: "Põhjus", en: "Reason", ru: "Причина" },
  note: { et: "Märkus (ainult päevikusse)", en: "Note (journal only)", ru: "Заметка (только в журнал)" },
  noteHint: {
    et: "ilma nimede ja isikukoodideta",
    en: "no names or ID codes",
    ru: "без имён и личных кодов",
  },
  rightService: { et: "Õige teenus", en: "Right service", ru: "Правильная услуга" },
  cancel: { et: "Tühista", en: "Cancel", ru: "Отменить" },
  reissue: { et: "Anna uus, koht jääb", en: "Reissue, keep the place", ru: "Перевыдать, сохранив место" },
  reprint: { et: "Prindi uuesti", en: "Reprint", ru: "Перепечатать" },
  select: { et: "Vali", en: "Select", ru: "Выбрать" },
  devices: { et: "Seadmed", en: "Devices", ru: "Устройства" },
  device: { et: "Seade", en: "Device", ru: "Устройство" },
  kind: { et: "Liik", en: "Kind", ru: "Тип" },
  faults: { et: "Vead", en: "Faults", ru: "Неисправности" },
  alerts: { et: "Häired", en: "Alerts", ru: "Тревоги" },
  noAlerts: { et: "Häireid pole", en: "No alerts", ru: "Тревог нет" },
  ds_ok: { et: "korras", en: "ok", ru: "в порядке" },
  ds_degraded: { et: "häiritud", en: "degraded", ru: "с ошибками" },
  ds_offline: { et: "ühenduseta", en: "offline", ru: "недоступно" },
  // kiosk
  kioskTitle: { et: "Kiosk {printer}", en: "Kiosk {printer}", ru: "Киоск {printer}" },
  takeTicket: {
    et: "Vali teema ja võta pilet",
    en: "Choose a topic and take a ticket",
    ru: "Выберите тему и возьмите талон",
  },
  noPanel: {
    et: "Sellel printeril pole simuleeritud nupupaneeli.",
    en: "This printer has no simulated button panel.",
    ru: "У этого принтера нет симулированной панели кнопок.",
  },
  printed: { et: "Prinditud piletid", en: "Printed tickets", ru: "Напечатанные талоны" },
  noTickets: {
    et: "Veel pole ühtegi piletit prinditud.",
    en: "No ticket printed yet.",
    ru: "Талонов ещё нет.",
  },
  simulator: { et: "Simulaator", en: "Simulator", ru: "Симулятор" },
  paperLow: { et: "Paber lõpeb", en: "Paper low", ru: "Бумага кончается" },
  paperOut: { et: "Paber otsas", en: "Paper out", ru: "Нет бумаги" },
  coverOpen: { et: "Kaas lahti", en: "Cover open", ru: "Крышка открыта" },
  unplugPrinter: { et: "Printer lahti ühendatud", en: "Printer unplugged", ru: "Принтер отключён" },
  unplugPanel: { et: "Paneel lahti ühendatud", en: "Panel unplugged", ru: "Панель отключена" },
  printerFault: {
    et: "Printer ei tööta: {faults}",
    en: "The printer is not working: {faults}",
    ru: "Принтер не работает: {faults}",
  },
  printerOk: { et: "Printer on korras", en: "The printer is ready", ru: "Принтер готов" },
  led_on: { et: "tuli põleb", en: "light on", ru: "горит" },
  led_off: { et: "tuli kustus", en: "light off", ru: "не горит" },
  led_flash: { et: "tuli vilgub", en: "light flashing", ru: "мигает" },
  f_paper_low: { et: "paber lõpeb", en: "paper low", ru: "бумага кончается" },
  f_paper_out: { et: "paber otsas", en: "paper out", ru: "нет бумаги" },
  f_cover_open: { et: "kaas lahti", en: "cover open", ru: "крышка открыта" },
  f_offline: { et: "ühenduseta", en: "offline", ru: "нет связи" },
  f_no_answer: { et: "ei vasta", en: "no answer", ru: "не отвечает" },
  f_unreachable: { et: "kättesaamatu", en: "unreachable", ru: "недоступен" },
  f_connecting: { et: "ühendan", en: "connecting", ru: "подключение" },
  f_error: { et: "viga", en: "error", ru: "ошибка" },
  // board
  boardTitle: { et: "Ooteruum", en: "Waiting room", ru: "Зал ожидания" },
  mainBoards: { et: "Viimased kutsed", en: "Last calls", ru: "Последние вызовы" },
  counterBoards: { et: "Lauad", en: "Counters", ru: "Окна" },
  noBoards: { et: "Tabloosid pole seadistatud.", en: "No boards are configured.", ru: "Табло не настроены." },
  // display (the waiting room's TV)
  displayTitle: { et: "Ooteruumi ekraan", en: "Waiting-room display", ru: "Экран зала ожидания" },
  nowCalling: { et: "Kutsutakse", en: "Now calling", ru: "Вызывается" },
  lastCalls: { et: "Eelmised kutsed", en: "Previous calls", ru: "Предыдущие вызовы" },
  nobodyCalled: {
    et: "Veel pole kedagi kutsutud",
    en: "Nobody has been called yet",
    ru: "Пока никого не вызывали",
  },
  waitingNow: { et: "Järjekorras ootab", en: "Waiting now", ru: "Сейчас ожидают" },
  place_counter: { et: "Laud {id}", en: "Counter {id}", ru: "Окно {id}" },
  place_desk: { et: "Teeninduskoht {id}", en: "Desk {id}", ru: "Стол {id}" },
  place_room: { et: "Kabinet {id}", en: "Room {id}", ru: "Кабинет {id}" },
  displayNotConnected: {
    et: "Kutsete ekraan ei ole ühendatud",
    en: "The call display is not connected",
    ru: "Экран вызовов не подключён",
  },
  noSuchZone: {
    et: "Ooteala {zone} pole olemas",
    en: "There is no waiting area {zone}",
    ru: "Зоны ожидания {zone} нет",
  },
  soundOn: { et: "Heli sisse", en: "Sound on", ru: "Включить звук" },
  soundOff: { et: "Heli välja", en: "Sound off", ru: "Выключить звук" },
  ...MANAGER_STRINGS,
  ...FOLLOW_STRINGS,
  ...APPOINTMENT_STRINGS,
  // replies
  done: { et: "Tehtud: {what}", en: "Done: {what}", ru: "Готово: {what}" },
  failed: {
    et: "Ei õnnestunud ({code}): {message}",
    en: "Failed ({code}): {message}",
    ru: "Не удалось ({code}): {message}",
  },
  e_QUEUE_EMPTY: { et: "keegi ei oota", en: "nobody is waiting", ru: "никто не ждёт" },
  e_TICKET_NOT_FOUND: { et: "piletit ei leitud", en: "no such ticket", ru: "талон не найден" },
  e_INVALID_STATE: { et: "praegu ei saa", en: "not possible now", ru: "сейчас нельзя" },
  e_SERVICE_CLOSED: { et: "teenus on suletud", en: "the service is closed", ru: "услуга закрыта" },
  e_DEVICE_UNAVAILABLE: {
    et: "seade pole kättesaadav",
    en: "the device is unavailable",
    ru: "устройство недоступно",
  },
  e_PRINT_FAILED: { et: "printimine ebaõnnestus", en: "printing failed", ru: "печать не удалась" },
  e_UNAUTHORIZED: { et: "pole lubatud", en: "not allowed", ru: "не разрешено" },
  e_VALIDATION_FAILED: { et: "vigane päring", en: "invalid request", ru: "неверный запрос" },
  e_NO_ANSWER: {
    et: "kontroller ei vastanud",
    en: "the controller did not answer",
    ru: "контроллер не ответил",
  },
} satisfies Record<string, Entry>;

export type StringKey = keyof typeof STRINGS;

const STORAGE_KEY = "vooru.lang";

function initialLang(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored && (LANGUAGES as readonly string[]).includes(stored)) return stored as Lang;
  } catch {
    // Storage may be disabled (private mode): fall back to the browser's language.
  }
  const browser = navigator.language.slice(0, 2);
  return (LANGUAGES as readonly string[]).includes(browser) ? (browser as Lang) : "et";
}

let current: Lang = initialLang();
const listeners = new Set<() => void>();

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not remembered, but still switched.
  }
  document.documentElement.lang = next;
  for (const listener of listeners) listener();
}

export function onLangChange(listener: () => void): void {
  listeners.add(listener);
}

export function t(key: StringKey, vars: Record<string, string | number> = {}): string {
  return tIn(current, key, vars);
}

/** A string in a given language, whatever the page's own (the TV display cycles through them). */
export function tIn(language: Lang, key: StringKey, vars: Record<string, string | number> = {}): string {
  const text = (STRINGS[key] as Entry)[language];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}

/** A key built at run time (a fault or error code): the code itself when there is no entry. */
export function tMaybe(key: string, fallback: string): string {
  return key in STRINGS ? t(key as StringKey) : fallback;
}

/** A text given per language by the office (service names), in the current language if present. */
export function pick(texts: Partial<Record<string, string>>, fallback = ""): string {
  return pickIn(current, texts, fallback);
}

/** An office's text in a given language if present, else in another one. */
export function pickIn(language: Lang, texts: Partial<Record<string, string>>, fallback = ""): string {
  return texts[language] ?? texts.en ?? texts.et ?? texts.ru ?? fallback;
}
