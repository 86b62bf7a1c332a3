// Cancel reasons: the config's codes (defaults, unique, well-formed) and how a request's reason
// is read against them (a code, an older client's free text, no reason at all).
import { describe, expect, it } from "vitest";
import { DEFAULT_CANCEL_REASONS } from "../../../controller/config/cancel-reasons.js";
import { officeConfigSchema } from "../../../controller/config/office-config.js";
import { resolveCancelReason } from "../../../controller/queue/cancel-reason.js";
import { officeConfig } from "../../support/office.js";

const REASONS = DEFAULT_CANCEL_REASONS;

describe("cancelReasons in the config", () => {
  it("defaults to wrong_service, duplicate, left and other in three languages", () => {
    const reasons = officeConfig().cancelReasons;
    expect(reasons.map((r) => r.code)).toEqual(["wrong_service", "duplicate", "left", "other"]);
    for (const reason of reasons) expect(Object.keys(reason.names).sort()).toEqual(["en", "et", "ru"]);
  });

  it("refuses a code used twice, a malformed one, the reserved one and an empty list", () => {
    const problems = (cancelReasons: unknown) => {
      const result = officeConfigSchema.safeParse({ ...officeConfig(), cancelReasons });
      return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
    expect(problems([{ code: "left", names: { en: "Left" } }])).toEqual([]);
    expect(
      problems([
        { code: "left", names: { en: "Left" } },
        { code: "left", names: { et: "Lahkus" } },
      ]),
    ).toEqual(['cancelReasons.1.code: "left" is already used by cancelReasons[0]']);
    expect(problems([{ code: "Wrong service", names: { en: "x" } }])[0]).toMatch(/^cancelReasons\.0\.code: /);
    expect(problems([{ code: "reissued", names: { en: "x" } }])[0]).toMatch(/reserved/);
    expect(problems([{ code: "left", names: {} }])[0]).toMatch(/at least one language/);
    expect(problems([])[0]).toMatch(/at least one cancel reason/);
  });
});

describe("resolveCancelReason", () => {
  it("takes a configured code, with a trimmed note if one is given", () => {
    expect(resolveCancelReason(REASONS, "left", undefined)).toEqual({
      ok: true,
      reason: "left",
      freeText: false,
    });
    expect(resolveCancelReason(REASONS, "left", "  came back later  ")).toEqual({
      ok: true,
      reason: "left",
      note: "came back later",
      freeText: false,
    });
    expect(resolveCancelReason(REASONS, "left", "   ")).toEqual({
      ok: true,
      reason: "left",
      freeText: false,
    });
  });

  it("refuses a code the office does not list, without repeating it", () => {
    const refused = resolveCancelReason(REASONS, "tamm", undefined);
    expect(refused.ok).toBe(false);
    expect(JSON.stringify(refused)).not.toContain("tamm");
    expect(JSON.stringify(refused)).toContain("wrong_service, duplicate, left, other");
  });

  it("takes an older client's free text as other, the text as the note", () => {
    expect(resolveCancelReason(REASONS, "wrong service", undefined)).toEqual({
      ok: true,
      reason: "other",
      note: "wrong service",
      freeText: true,
    });
    expect(resolveCancelReason(REASONS, "38001010000", "asked at the desk")).toEqual({
      ok: true,
      reason: "other",
      note: "38001010000; asked at the desk",
      freeText: true,
    });
  });

  it("refuses free text when the office lists no other", () => {
    expect(resolveCancelReason([{ code: "left", names: { en: "Left" } }], "went home", undefined).ok).toBe(
      false,
    );
  });

  it("gives a reissue without a reason the code reissued", () => {
    expect(resolveCancelReason(REASONS, undefined, "note")).toEqual({
      ok: true,
      reason: "reissued",
      note: "note",
      freeText: false,
    });
  });
});
