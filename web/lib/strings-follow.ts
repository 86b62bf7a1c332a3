// The customer's follow page's words (follow.ts) in Estonian, English and Russian, spread into the
// one table of i18n.ts.
import type { Entry } from "./languages.js";

export const FOLLOW_STRINGS = {
  follow_title: { et: "Teie järjekord", en: "Your place in the queue", ru: "Ваша очередь" },
  follow_ticket: { et: "Pilet", en: "Ticket", ru: "Талон" },
  follow_loading: { et: "Laadin…", en: "Loading…", ru: "Загрузка…" },
  follow_ahead: { et: "Teie ees: {n}", en: "Ahead of you: {n}", ru: "Перед вами: {n}" },
  follow_aheadNone: { et: "Te olete järgmine", en: "You are next", ru: "Вы следующий" },
  follow_wait: {
    et: "Hinnanguline ootus {min}–{max} min",
    en: "Estimated wait {min}–{max} min",
    ru: "Примерное ожидание {min}–{max} мин",
  },
  follow_waiting: {
    et: "Oodake, kuni teid kutsutakse. See leht uueneb ise.",
    en: "Please wait to be called. This page updates by itself.",
    ru: "Ожидайте вызова. Страница обновляется сама.",
  },
  follow_called: { et: "Teie kord! Minge:", en: "Your turn! Go to", ru: "Ваша очередь! Пройдите:" },
  follow_recalled: {
    et: "Teid kutsutakse uuesti",
    en: "You are being called again",
    ru: "Вас вызывают повторно",
  },
  follow_serving: { et: "Teid teenindatakse:", en: "Being served at", ru: "Вас обслуживают:" },
  follow_parked: {
    et: "Teie pilet on ootel. Teid kutsutakse uuesti.",
    en: "Your ticket is on hold. You will be called again.",
    ru: "Ваш талон отложен. Вас вызовут снова.",
  },
  follow_finished: {
    et: "Teenindus on lõppenud. Aitäh!",
    en: "Your visit is finished. Thank you!",
    ru: "Обслуживание завершено. Спасибо!",
  },
  follow_cancelled: {
    et: "See pilet on tühistatud. Pöörduge infolauda.",
    en: "This ticket was cancelled. Please ask at the information desk.",
    ru: "Этот талон отменён. Обратитесь в справочную.",
  },
  follow_noShow: {
    et: "Teid kutsuti, kuid te ei tulnud. Pöörduge infolauda.",
    en: "You were called but did not come. Please ask at the information desk.",
    ru: "Вас вызывали, но вы не подошли. Обратитесь в справочную.",
  },
  follow_invalid: {
    et: "See pilet ei kehti enam (pilet kehtib päeval, mil see trükiti).",
    en: "This ticket is no longer valid (a ticket is valid on the day it was printed).",
    ru: "Этот талон больше не действителен (талон действует в день печати).",
  },
  follow_reissued: {
    et: "Teie pilet {old} asendati piletiga {number}; koht järjekorras jäi samaks.",
    en: "Your ticket {old} was replaced by {number}; you keep your place.",
    ru: "Ваш талон {old} заменён на {number}; место в очереди сохранено.",
  },
  follow_offline: {
    et: "Ühendus puudub, proovin uuesti…",
    en: "No connection, retrying…",
    ru: "Нет связи, повтор…",
  },
  follow_busy: {
    et: "Liiga palju päringuid, proovin varsti uuesti…",
    en: "Too many requests, retrying shortly…",
    ru: "Слишком много запросов, скоро повторю…",
  },
  follow_soundOn: { et: "Heli sisse", en: "Sound on", ru: "Включить звук" },
  follow_soundIsOn: { et: "Heli on sees", en: "Sound is on", ru: "Звук включён" },
  follow_place_counter: { et: "Laud {id}", en: "Counter {id}", ru: "Окно {id}" },
  follow_place_desk: { et: "Teeninduskoht {id}", en: "Desk {id}", ru: "Стол {id}" },
  follow_place_room: { et: "Kabinet {id}", en: "Room {id}", ru: "Кабинет {id}" },
  follow_language: { et: "Keel", en: "Language", ru: "Язык" },
  follow_updated: { et: "Uuendatud {time}", en: "Updated {time}", ru: "Обновлено {time}" },
} satisfies Record<string, Entry>;
