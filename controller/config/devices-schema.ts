// The devices part of the office configuration, composed from the rooms' own parts: printers
// (controller/printing/), LED boards (controller/boards/) and topic-button panels (controller/panels/).
import { z } from "zod";
import { scannerSchema } from "../appointments/scanner-schema.js";
import { boardBusSchema, boardTextsSchema, ledDisplaySchema } from "../boards/board-schema.js";
import { panelSchema } from "../panels/panel-schema.js";
import { printerSchema } from "../printing/printer-schema.js";

export const devicesSchema = z
  .strictObject({
    printers: z.array(printerSchema).default([]).describe("Ticket printers (ESC/POS)."),
    boardBuses: z
      .array(boardBusSchema)
      .default([])
      .describe("LED number boards on serial / RS-485 buses, one protocol per bus."),
    ledDisplays: z
      .array(ledDisplaySchema)
      .default([])
      .describe(
        "Single MAX7219 / HT16K33 displays, each on an Arduino with StandardFirmata, through johnny-five.",
      ),
    /** Topic-button panels (controller/panels/panel-schema.ts). */
    panels: z.array(panelSchema).default([]).describe("Topic-button panels at the kiosks."),
    boardTexts: boardTextsSchema,
    scanners: z
      .array(scannerSchema)
      .default([])
      .describe("Booking-code scanners at the kiosks: a booked customer checks in by scanning the code."),
  })
  .default({
    printers: [],
    boardBuses: [],
    ledDisplays: [],
    panels: [],
    boardTexts: { idle: "", closed: "----", blinkSeconds: 5 },
    scanners: [],
  })
  .describe("Printers, LED boards, button panels and booking-code scanners.");
