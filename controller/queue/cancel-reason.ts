// The reason of a cancel or reissue request checked against the office's codes (config
// `cancelReasons`): the request schemas are static, so the controller knows the codes, not them.
import { FREE_TEXT_REASON, REASON_CODE, REISSUED_REASON } from "../config/cancel-reasons.js";
import type { CancelReasonConfig } from "../config/schema.js";

export type ResolvedReason =
  | { ok: true; reason: string; note?: string; freeText: boolean }
  | { ok: false; message: string };

/**
 * A configured code is taken as it is. A reason that is not code-shaped (spaces, capitals, other
 * letters: an older client's free text) becomes "other", if the office lists it, and the text
 * joins the note; the published reason is then "other" only. A code-shaped reason the office does
 * not list is refused, and so is free text when "other" is not listed. No reason at all (a
 * reissue) is REISSUED_REASON.
 */
export function resolveCancelReason(
  reasons: readonly CancelReasonConfig[],
  reason: string | undefined,
  note: string | undefined,
): ResolvedReason {
  const trimmedNote = note?.trim() || undefined;
  const withNote = (code: string, text?: string): ResolvedReason => {
    const joined = [text, trimmedNote].filter((s) => s).join("; ");
    return { ok: true, reason: code, ...(joined ? { note: joined } : {}), freeText: text !== undefined };
  };
  if (reason === undefined) return withNote(REISSUED_REASON);
  const known = reasons.map((r) => r.code);
  if (known.includes(reason)) return withNote(reason);
  // The reason is not echoed: a mistyped one may be a name, and replies go over MQTT too.
  const listing = `one of the office's codes: ${known.join(", ")}`;
  if (REASON_CODE.test(reason)) return { ok: false, message: `unknown reason code; give ${listing}` };
  if (!known.includes(FREE_TEXT_REASON))
    return { ok: false, message: `free text is no reason here; give ${listing}` };
  return withNote(FREE_TEXT_REASON, reason.trim());
}
