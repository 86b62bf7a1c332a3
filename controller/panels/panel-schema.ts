// Topic-button panels in the office configuration: which panel, how vooru reaches it, which button
// issues which service's ticket at which kiosk printer, and the press rules (controller/panels/).
import { z } from "zod";
import { keyUsageName, keyUsageOf } from "../../protocols/hid/boot-keyboard.js";
import { firmataIoSchema } from "../config/firmata-io-schema.js";
import { idSchema } from "../config/ids.js";
import { nodeDeviceSchema } from "../config/node-device-schema.js";

export const PANEL_KINDS = ["xkeys", "keypad", "gpio", "firmata"] as const;
export type PanelKind = (typeof PANEL_KINDS)[number];

const usbId = z.number().int().min(0).max(0xffff);

/** How the controller reaches a panel; `simulated` fits every kind. */
export const panelIoSchema = z.discriminatedUnion("type", [
  /** A USB HID device (X-keys, a keypad), found by what it reports; every given field must match. */
  z.strictObject({
    type: z.literal("hid"),
    vendorId: usbId.optional().describe("USB vendor id (X-keys: 0x05F3, the default for kind xkeys)."),
    productId: usbId.optional().describe("USB product id (an XK-24: 1029); `vooru devices` lists them."),
    serialNumber: z.string().min(1).optional().describe("Tells several panels of one model apart."),
    /** A hidraw path (/dev/hidraw3); it changes on replugging, so prefer the ids. */
    path: z
      .string()
      .min(1)
      .optional()
      .describe("A hidraw path; it changes on replugging, so prefer the ids."),
    /** Picks one of a composite device's interfaces (an X-keys has a keyboard one too). */
    usagePage: usbId
      .optional()
      .describe("HID usage page of the interface with the buttons; default: the kind's usual one."),
    interface: z
      .number()
      .int()
      .min(0)
      .max(255)
      .optional()
      .describe("USB interface number, for a backend that reports no usage page."),
  }),
  /** Buttons on a Linux GPIO character device (libgpiod): a Raspberry Pi 4 or 5. */
  z.strictObject({
    type: z.literal("gpio"),
    /** gpiochip0 is the 40-pin header on a Pi 4, and on a Pi 5 with kernel 6.6 or newer. */
    chip: z
      .string()
      .min(1)
      .default("gpiochip0")
      .describe("The GPIO chip: gpiochip0 is the 40-pin header on a Pi 4, and on a Pi 5 with kernel 6.6+."),
  }),
  /** An Arduino running StandardFirmata on a serial port: prefer /dev/serial/by-id/... */
  firmataIoSchema,
  /** A virtual device of the panel's kind in this process, read by the real driver. */
  z.strictObject({ type: z.literal("simulated") }),
  /** Attached to a device node, whose driver sends the edges here over MQTT. */
  nodeDeviceSchema,
]);

const pinOrName = z.union([z.string().min(1), z.number().int().min(0)]);

export const panelButtonSchema = z.strictObject({
  /**
   * The button as the panel names it: an X-keys key index ("0".."79", column*8+row), a keypad key
   * usage name ("KP_1", "A", "ENTER"), a GPIO line offset ("17"), an Arduino pin ("2", "A0").
   * A number is taken as its digits.
   */
  button: pinOrName
    .transform(String)
    .describe(
      'The button as the panel names it: X-keys key index ("0".."79", column*8+row), keypad key name ("KP_1", "A"), GPIO line ("17"), Arduino pin ("2", "A0").',
    ),
  /** The service whose ticket this button issues. */
  service: idSchema.describe("The service whose ticket this button issues."),
  /**
   * The button's LED: X-keys `true` (the key's own backlight); GPIO an output line, Firmata an
   * output pin. Keypads have none.
   */
  led: z
    .union([z.boolean(), pinOrName])
    .optional()
    .describe("The button's LED: X-keys `true` (its backlight); GPIO an output line; Arduino an output pin."),
  /** GPIO and Firmata: the input's pull-up (a button wired to ground); default the driver's. */
  pullUp: z
    .boolean()
    .optional()
    .describe(
      "GPIO and Arduino: the button connects the pin to ground and a pull-up holds it high (default true).",
    ),
});

/**
 * The press rules. Why these defaults:
 * - debounceMs 30: mechanical contacts settle within a few ms (rarely 20); no person presses,
 *   releases and presses again within 30 ms, so no real press is ever taken for a bounce.
 * - minPressIntervalMs 2000: a ticket takes one to two seconds to come out; a customer who presses
 *   again because nothing came out yet must not get a second ticket. A family member who wants a
 *   ticket of their own presses after the first one came out.
 * - stuckAfterSeconds 10: nobody holds a topic button that long; something leans on it or the
 *   contact is stuck. Holding never repeats anyway; this is for IT support's alert.
 * - maxQueuedPerPrinter 3: a printer prints one ticket at a time; three waiting behind it come out
 *   within a few seconds, the fourth customer would wait so long they press again or walk away.
 * - refusedFlashSeconds 3: long enough to see, short enough not to confuse the next customer.
 */
export const panelRulesSchema = z
  .strictObject({
    debounceMs: z
      .number()
      .int()
      .min(0)
      .max(500)
      .default(30)
      .describe("Edges this soon after the button's last accepted one are contact bounce, ignored."),
    minPressIntervalMs: z
      .number()
      .int()
      .min(0)
      .max(60_000)
      .default(2000)
      .describe("A press this soon after the same button's last accepted press is refused (and flashes)."),
    stuckAfterSeconds: z
      .number()
      .min(1)
      .max(3600)
      .default(10)
      .describe("A button down this long raises BUTTON_STUCK and is ignored until released."),
    maxQueuedPerPrinter: z
      .number()
      .int()
      .min(0)
      .max(50)
      .default(3)
      .describe(
        "Presses that may wait behind the ticket printing; one more is refused. Same on every panel of a printer.",
      ),
    refusedFlashSeconds: z
      .number()
      .min(0)
      .max(60)
      .default(3)
      .describe(
        "How long a refused press (closed, rate limited, queue full, printer fault) flashes its button.",
      ),
  })
  .default({
    debounceMs: 30,
    minPressIntervalMs: 2000,
    stuckAfterSeconds: 10,
    maxQueuedPerPrinter: 3,
    refusedFlashSeconds: 3,
  })
  .describe("The press rules (controller/panels/press-rules.ts); every key optional.");

const IO_FOR_KIND: Record<PanelKind, string> = {
  xkeys: "hid",
  keypad: "hid",
  gpio: "gpio",
  firmata: "firmata",
};

const INDEX = /^\d{1,2}$/;
const LINE = /^\d{1,3}$/;
const ARDUINO_PIN = /^(\d{1,3}|A\d{1,2})$/;

/** What a button id (and an LED) must look like on each kind of panel; null when fine. */
export function buttonProblem(kind: PanelKind, button: string): string | null {
  switch (kind) {
    case "xkeys":
      return INDEX.test(button) && Number(button) <= 79
        ? null
        : `an X-keys button is a key index 0..79 (column*8+row), got "${button}"`;
    case "keypad": {
      // The driver names keys by keyUsageName: the config must use the same spelling.
      const usage = keyUsageOf(button);
      if (usage === undefined)
        return `a keypad button is a key usage name ("KP_1", "A", "KP_ENTER"), got "${button}"`;
      const name = keyUsageName(usage);
      return name === button ? null : `write the key as "${name}"`;
    }
    case "gpio":
      return LINE.test(button) ? null : `a GPIO button is a line offset (17 for GPIO17), got "${button}"`;
    case "firmata":
      if (!ARDUINO_PIN.test(button)) return `an Arduino button is a pin (2, 7, A0), got "${button}"`;
      return button === "0" || button === "1"
        ? "pins 0 and 1 are the Arduino's serial port (Firmata talks over them)"
        : null;
  }
}

export function ledProblem(kind: PanelKind, led: string | number | boolean): string | null {
  if (led === false) return null;
  switch (kind) {
    case "xkeys":
      return led === true ? null : "an X-keys key lights its own backlight: write `led: true`";
    case "keypad":
      return "a keypad has no button LEDs";
    case "gpio":
      return typeof led !== "boolean" && LINE.test(String(led))
        ? null
        : "a GPIO LED is an output line offset (27 for GPIO27)";
    case "firmata":
      return typeof led !== "boolean" && ARDUINO_PIN.test(String(led))
        ? null
        : "an Arduino LED is an output pin (13, A1)";
  }
}

export const panelSchema = z
  .strictObject({
    id: idSchema.describe("Id of the panel; shares one namespace with printers and boards (devices/<id>)."),
    /** xkeys (P.I. Engineering X-keys), keypad (a USB keypad), gpio (a Pi's pins), firmata (an Arduino). */
    kind: z
      .enum(PANEL_KINDS)
      .describe(
        "xkeys (P.I. Engineering X-keys), keypad (a USB keypad), gpio (a Pi's pins), firmata (an Arduino).",
      ),
    /** The kiosk printer this panel's tickets come out of. */
    printer: idSchema.describe("The printer (devices.printers) this panel's tickets come out of."),
    io: panelIoSchema.describe('How vooru reaches the panel; "simulated" and "node" fit every kind.'),
    buttons: z
      .array(panelButtonSchema)
      .min(1, "a panel has at least one button")
      .describe("The topic buttons, each issuing one service's ticket."),
    rules: panelRulesSchema,
  })
  .superRefine((panel, ctx) => {
    const anyKind = panel.io.type === "simulated" || panel.io.type === "node";
    if (!anyKind && panel.io.type !== IO_FOR_KIND[panel.kind])
      ctx.addIssue({
        code: "custom",
        path: ["io", "type"],
        message: `a ${panel.kind} panel is reached by io type "${IO_FOR_KIND[panel.kind]}" or "simulated"`,
      });
    panel.buttons.forEach((b, i) => {
      const problem = buttonProblem(panel.kind, b.button);
      if (problem) ctx.addIssue({ code: "custom", path: ["buttons", i, "button"], message: problem });
      const led = b.led === undefined ? null : ledProblem(panel.kind, b.led);
      if (led) ctx.addIssue({ code: "custom", path: ["buttons", i, "led"], message: led });
      if (b.pullUp !== undefined && (panel.kind === "xkeys" || panel.kind === "keypad"))
        ctx.addIssue({
          code: "custom",
          path: ["buttons", i, "pullUp"],
          message: "pullUp is for GPIO and Arduino inputs",
        });
    });
  });

export type PanelConfig = z.infer<typeof panelSchema>;
export type PanelButtonConfig = z.infer<typeof panelButtonSchema>;
export type PanelRules = z.infer<typeof panelRulesSchema>;
export type PanelIoConfig = z.infer<typeof panelIoSchema>;
