// Why a ticket was cancelled, as codes the office configures (schema.ts `cancelReasons`): the code
// is what goes out on MQTT and into the journal, the texts are what the desk page offers. Staff
// never type a published reason, so no ID code or name reaches a topic every reader sees; a free
// note, if any, stays in the journal.

/** A reason code: lower-case letters, digits and "_", starting with a letter (free text never fits). */
export const REASON_CODE = /^[a-z][a-z0-9_]{0,31}$/;

/** The code a reissue's cancellation carries when the request names no reason; not configurable. */
export const REISSUED_REASON = "reissued";

/** Where an older client's free-text reason goes (when the office lists it), the text as the note. */
export const FREE_TEXT_REASON = "other";

/** The reasons of an office that configures none. */
export const DEFAULT_CANCEL_REASONS = [
  { code: "wrong_service", names: { et: "vale teenus", en: "wrong service", ru: "не та услуга" } },
  { code: "duplicate", names: { et: "topeltpilet", en: "duplicate ticket", ru: "повторный талон" } },
  { code: "left", names: { et: "klient lahkus", en: "customer left", ru: "клиент ушёл" } },
  { code: FREE_TEXT_REASON, names: { et: "muu", en: "other", ru: "другое" } },
];
