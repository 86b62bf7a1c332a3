import ReceiptPrinterEncoder from "@point-of-sale/receipt-printer-encoder";
import { describe, expect, it } from "vitest";
import { PRINTER_PROFILE_IDS, PRINTER_PROFILES, profileById } from "../../../protocols/escpos/profiles.js";

describe("printer profiles", () => {
  it("has the required profiles", () => {
    expect(PRINTER_PROFILE_IDS).toEqual(
      expect.arrayContaining(["epson-tm-t20iii", "epson-tm-t88vi", "generic-58mm", "generic-80mm"]),
    );
    expect(profileById("epson-tm-t20iii")).toMatchObject({ paperWidthMm: 80, columns: 48, processId: true });
    expect(profileById("epson-tm-t88vi")).toMatchObject({ paperWidthMm: 80, processId: true });
    expect(profileById("generic-58mm")).toMatchObject({
      encoderModel: "pos-5890",
      paperWidthMm: 58,
      columns: 32,
      processId: false,
      asb: false,
    });
  });

  it.each(PRINTER_PROFILE_IDS)("%s matches the encoder's model", (id) => {
    const profile = PRINTER_PROFILES[id];
    expect(profile.id).toBe(id);
    const models = ReceiptPrinterEncoder.printerModels.map((m) => m.id);
    expect(models).toContain(profile.encoderModel);
    type Options = ConstructorParameters<typeof ReceiptPrinterEncoder>[0];
    const encoder = new ReceiptPrinterEncoder({ printerModel: profile.encoderModel } as Options);
    const caps = encoder.printerCapabilities as { qrcode?: { supported?: boolean }; cutter?: unknown };
    expect(profile.columns).toBe(encoder.columns);
    expect(profile.qr).toBe(caps.qrcode?.supported === true);
    expect(profile.cut).toBe(caps.cutter !== undefined);
  });

  it("names the known ids when the id is unknown", () => {
    expect(() => profileById("epson-tm-t99")).toThrow(/unknown printer profile "epson-tm-t99".*generic-58mm/);
    expect(() => profileById("toString")).toThrow(/unknown printer profile/);
  });

  it("profiles cannot be changed by a caller", () => {
    expect(Object.isFrozen(profileById("generic-80mm"))).toBe(true);
  });
});
