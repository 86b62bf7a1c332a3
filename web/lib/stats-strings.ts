// The statistics page's words in Estonian, English and Russian (its own table: the page has many
// words the other pages do not need).
import { type Lang, lang } from "./i18n.js";

const STRINGS = {
  title: { et: "Statistika", en: "Statistics", ru: "Статистика" },
  today: { et: "Täna (jooksvalt)", en: "Today (live)", ru: "Сегодня (в реальном времени)" },
  range: { et: "Vahemik", en: "Range", ru: "Период" },
  from: { et: "Alates", en: "From", ru: "С" },
  to: { et: "Kuni", en: "To", ru: "По" },
  show: { et: "Näita", en: "Show", ru: "Показать" },
  loading: { et: "Laadin…", en: "Loading…", ru: "Загрузка…" },
  noData: {
    et: "Selles vahemikus pileteid ei olnud.",
    en: "No tickets in this range.",
    ru: "В этом периоде талонов не было.",
  },
  refused: {
    et: "Statistika on ainult infoleti ja administraatori kasutajatele.",
    en: "Statistics are for the desk and admin users only.",
    ru: "Статистика доступна только пользователям стойки информации и администраторам.",
  },
  issued: { et: "Väljastatud", en: "Issued", ru: "Выдано" },
  served: { et: "Teenindatud", en: "Served", ru: "Обслужено" },
  noShows: { et: "Ei tulnud", en: "No-shows", ru: "Не явились" },
  wrong: {
    et: "Vale teenus (ümber väljastatud)",
    en: "Wrong tickets (reissued)",
    ru: "Неверные талоны (перевыданы)",
  },
  cancelled: { et: "Tühistatud", en: "Cancelled", ru: "Отменено" },
  transferred: { et: "Suunatud", en: "Transferred", ru: "Переведено" },
  expired: { et: "Päeva lõpus avatud", en: "Open at day end", ru: "Открыты в конце дня" },
  open: { et: "Järjekorras", en: "In the queue", ru: "В очереди" },
  waitMean: { et: "Ooteaeg keskm.", en: "Wait mean", ru: "Ожидание сред." },
  waitP90: { et: "Ooteaeg p90", en: "Wait p90", ru: "Ожидание p90" },
  waitMax: { et: "Ooteaeg max", en: "Wait max", ru: "Ожидание макс." },
  serviceMean: { et: "Teenindus keskm.", en: "Service mean", ru: "Обслуживание сред." },
  level: { et: "Teenindustase", en: "Service level", ru: "Уровень обслуживания" },
  minutes: { et: "min", en: "min", ru: "мин" },
  chartWait: {
    et: "Ooteaeg päeva jooksul",
    en: "Waiting time through the day",
    ru: "Ожидание в течение дня",
  },
  chartArrivals: {
    et: "Saabujad 15 minuti kaupa ja avatud letid",
    en: "Arrivals per 15 minutes and counters open",
    ru: "Приход за 15 минут и открытые окна",
  },
  chartLevel: {
    et: "Teenindustase teenuse kaupa",
    en: "Service level by service",
    ru: "Уровень обслуживания по услугам",
  },
  arrivals: { et: "Saabujad", en: "Arrivals", ru: "Пришли" },
  countersOpen: { et: "Avatud letid", en: "Counters open", ru: "Открытые окна" },
  meanWait: { et: "Keskmine ooteaeg (min)", en: "Mean wait (min)", ru: "Среднее ожидание (мин)" },
  byService: { et: "Teenuse kaupa", en: "By service", ru: "По услугам" },
  byCounter: { et: "Leti kaupa", en: "By counter", ru: "По окнам" },
  byDay: { et: "Päeva kaupa", en: "By day", ru: "По дням" },
  byHour: { et: "Tunni kaupa", en: "By hour", ru: "По часам" },
  counterTime: { et: "Lettide aeg (min)", en: "Counter time (min)", ru: "Время окон (мин)" },
  counter: { et: "Lett", en: "Counter", ru: "Окно" },
  openMinutes: { et: "Avatud", en: "Open", ru: "Открыто" },
  pausedMinutes: { et: "Paus", en: "Paused", ru: "Пауза" },
  servingMinutes: { et: "Teenindas", en: "Serving", ru: "Обслуживало" },
  idleMinutes: { et: "Vaba", en: "Idle", ru: "Простой" },
  download: { et: "Laadi CSV", en: "Download CSV", ru: "Скачать CSV" },
  updated: { et: "Uuendatud {time}", en: "Updated {time}", ru: "Обновлено {time}" },
} satisfies Record<string, Record<Lang, string>>;

export type StatsKey = keyof typeof STRINGS;

export function st(key: StatsKey, vars: Record<string, string> = {}): string {
  return STRINGS[key][lang()].replace(/\{(\w+)\}/g, (_, name: string) => vars[name] ?? `{${name}}`);
}
