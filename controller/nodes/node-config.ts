// The configuration of a device node (`vooru node --config node.yaml`): which node and office, how
// to reach the office's broker, and the node's own devices with the SAME ids as in the office
// config, which names them with `{type: node, node: <id>}`. Only how to reach each device lives
// here; what it is for (services, counters, zones, printers of panels) stays in the office config.
import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { z } from "zod";
import { isPrinterProfileId, PRINTER_PROFILE_IDS } from "../../protocols/escpos/profiles.js";
import { boardTransportSchema } from "../boards/board-schema.js";
import { idSchema } from "../config/ids.js";
import { formatIssues, friendlyErrorMap } from "../config/issues.js";
import { ConfigError } from "../config/load.js";
import { externalBrokerSchema } from "../mqtt/mqtt-schema.js";
import { buttonProblem, ledProblem, PANEL_KINDS, panelIoSchema } from "../panels/panel-schema.js";
import { printerTransportSchema } from "../printing/printer-schema.js";

const LOCAL = 'a node drives its own devices: not "node" here';
const local = <T extends { type: string }>(t: T) => t.type !== "node";

const nodePrinterSchema = z.strictObject({
  id: idSchema.describe("The printer's id, as in the office config."),
  profile: z.string().min(1).describe("Printer profile, as in the office config."),
  transport: printerTransportSchema.refine(local, LOCAL).describe("serial, tcp, usb or simulated."),
  confirmTimeoutSeconds: z
    .number()
    .positive()
    .max(120)
    .default(8)
    .describe("Seconds the printer may take to confirm a ticket (keep it equal to the office config's)."),
});

const nodeBoardBusSchema = z.strictObject({
  id: idSchema.describe("The bus's id, as in the office config."),
  protocol: z.enum(["modbus-7seg", "alpha"]),
  transport: boardTransportSchema.refine(local, LOCAL).describe("serial, tcp or simulated."),
  boards: z
    .array(z.strictObject({ id: idSchema, address: z.number().int().min(0).max(255) }))
    .min(1)
    .describe("The boards on the bus: ids as in the office config, with their bus addresses."),
});

const nodePanelSchema = z
  .strictObject({
    id: idSchema.describe("The panel's id, as in the office config."),
    kind: z.enum(PANEL_KINDS),
    io: panelIoSchema.refine(local, LOCAL).describe("hid, gpio, firmata or simulated."),
    buttons: z
      .array(
        z.strictObject({
          button: z.union([z.string().min(1), z.number().int().min(0)]).transform(String),
          led: z.union([z.boolean(), z.string().min(1), z.number().int().min(0)]).optional(),
          pullUp: z.boolean().optional(),
        }),
      )
      .min(1)
      .describe("The buttons (and LEDs) the driver reads; which service each issues is the office's."),
  })
  .superRefine((panel, ctx) => {
    panel.buttons.forEach((b, i) => {
      const problem = buttonProblem(panel.kind, b.button);
      if (problem) ctx.addIssue({ code: "custom", path: ["buttons", i, "button"], message: problem });
      const led = b.led === undefined ? null : ledProblem(panel.kind, b.led);
      if (led) ctx.addIssue({ code: "custom", path: ["buttons", i, "led"], message: led });
    });
  });

export const nodeConfigSchema = z
  .strictObject({
    node: z.strictObject({
      id: idSchema.describe(
        "Id of this node, as the office config's devices name it ({type: node, node: <id>}).",
      ),
      office: idSchema.describe("Id of the office whose queue the devices serve."),
    }),
    broker: externalBrokerSchema.describe(
      "The office's broker: the controller's embedded one or Mosquitto (with a node user, role node).",
    ),
    devices: z
      .strictObject({
        printers: z.array(nodePrinterSchema).default([]),
        boardBuses: z.array(nodeBoardBusSchema).default([]),
        panels: z.array(nodePanelSchema).default([]),
        blinkSeconds: z
          .number()
          .min(0)
          .max(60)
          .default(5)
          .describe("Longest a call blinks; the controller's boards/<board> says when it stops."),
      })
      .default({ printers: [], boardBuses: [], panels: [], blinkSeconds: 5 }),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    const ids: Array<[string, Array<string | number>]> = [
      ...config.devices.printers.map((p, i): [string, Array<string | number>] => [
        p.id,
        ["devices", "printers", i, "id"],
      ]),
      ...config.devices.boardBuses.flatMap(
        (b, i): Array<[string, Array<string | number>]> => [
          [b.id, ["devices", "boardBuses", i, "id"]],
          ...b.boards.map((x, j): [string, Array<string | number>] => [
            x.id,
            ["devices", "boardBuses", i, "boards", j, "id"],
          ]),
        ],
      ),
      ...config.devices.panels.map((p, i): [string, Array<string | number>] => [
        p.id,
        ["devices", "panels", i, "id"],
      ]),
    ];
    for (const [id, path] of ids) {
      if (seen.has(id))
        ctx.addIssue({ code: "custom", path, message: `"${id}" is already used by another device` });
      seen.add(id);
    }
    config.devices.printers.forEach((p, i) => {
      if (!isPrinterProfileId(p.profile))
        ctx.addIssue({
          code: "custom",
          path: ["devices", "printers", i, "profile"],
          message: `unknown printer profile "${p.profile}"; known: ${PRINTER_PROFILE_IDS.join(", ")}`,
        });
    });
  });

export type NodeConfig = z.infer<typeof nodeConfigSchema>;
export type NodeConfigInput = z.input<typeof nodeConfigSchema>;
export type NodePanelConfig = NodeConfig["devices"]["panels"][number];

export function parseNodeConfig(text: string, file = "<node config>"): NodeConfig {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0)
    throw new ConfigError(
      file,
      doc.errors.map((e) => e.message),
    );
  const data: unknown = doc.toJS();
  if (data === null || data === undefined)
    throw new ConfigError(file, [
      "the file is empty: it should hold the node configuration (see examples/node.yaml)",
    ]);
  const result = nodeConfigSchema.safeParse(data, { error: friendlyErrorMap });
  if (!result.success) throw new ConfigError(file, formatIssues(result.error.issues));
  return result.data;
}

export function loadNodeConfig(path: string): NodeConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(path, [`cannot read the file: ${(error as Error).message}`]);
  }
  return parseNodeConfig(text, path);
}
