// `vooru appointments import`: loads a booking system's CSV or iCalendar export into the running
// office. The bookings are sent over MQTT as appointments/request/add, one by one, as the desk or
// admin user given (the controller owns its store: writing the file while it runs would race it,
// and the broker vouches for who added them). The file is read strictly first: a file with any
// line not understood sends nothing. The same file sent again changes nothing (an identical add
// is answered "unchanged"). Docs: docs/appointments.md.
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { type BookingFile, parseBookingsCsv, parseBookingsIcs } from "../appointments/booking-file.js";
import { loadOfficeConfig, osReason } from "../config/load.js";
import type { OfficeConfig } from "../config/schema.js";
import { ContractClient } from "../mqtt/contract-client.js";
import type { Command } from "./command.js";
import { clientBrokerUrl } from "./environment.js";
import { UsageError } from "./usage-error.js";

const USAGE = `usage: vooru appointments import --config office.yaml --file bookings.csv|bookings.ics
         [--service ID] [--dry-run] [--url URL] [--username U --password P] [--json]
  Sends each booking of the file to the running office as appointments/request/add (desk or admin
  credentials: VOORU_MQTT_USERNAME / VOORU_MQTT_PASSWORD). A booking code is all that is kept.
  CSV: a header code,service,at then one booking a line; at is ISO 8601 (with Z or an offset) or a
  local time YYYY-MM-DD HH:MM in the office's time zone.
  iCalendar: each VEVENT; the code is SUMMARY (or UID), the service the first CATEGORIES (or
  --service), the time DTSTART; cancelled events are skipped.
  --dry-run   read and check the file only, send nothing
  --url       the broker (default: the config's mqtt.broker, else its embedded broker on this machine)
  Exit 0 when every booking was taken, 1 when some were refused or no broker, 2 on a bad file.`;

export function readBookingFile(path: string, config: OfficeConfig, service?: string): BookingFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${osReason(error)}`, "appointments");
  }
  const kind = extname(path).toLowerCase();
  if (kind === ".csv") return parseBookingsCsv(text, config.office.timeZone);
  if (kind === ".ics" || kind === ".ical") return parseBookingsIcs(text, config.office.timeZone, service);
  throw new UsageError(`${path}: the file must end in .csv or .ics`, "appointments");
}

function brokerUrl(
  config: OfficeConfig,
  option: string | undefined,
  env: Record<string, string | undefined>,
) {
  if (option !== undefined || env.VOORU_MQTT_URL) return clientBrokerUrl(option, env);
  if (config.mqtt.broker) return config.mqtt.broker.url;
  return `mqtt://127.0.0.1:${config.mqtt.embedded.port}`;
}

export const appointmentsCommand: Command = {
  name: "appointments",
  usage: USAGE,
  options: {
    config: { type: "string" },
    file: { type: "string" },
    service: { type: "string" },
    "dry-run": { type: "boolean" },
    url: { type: "string" },
    username: { type: "string" },
    password: { type: "string" },
    json: { type: "boolean" },
  },
  positionals: true,
  async run({ values, positionals }, { env }) {
    const text = (name: string) => (typeof values[name] === "string" ? (values[name] as string) : undefined);
    if (positionals[0] !== "import" || positionals.length !== 1)
      throw new UsageError('appointments takes one verb: "import"', "appointments");
    const configPath = text("config");
    const file = text("file");
    if (!configPath || !file) throw new UsageError("import needs --config and --file", "appointments");
    const config = loadOfficeConfig(configPath);
    const read = readBookingFile(file, config, text("service"));
    for (const s of read.skipped) console.log(`${file}:${s.line}: skipped (${s.message})`);
    if (read.errors.length > 0) {
      for (const e of read.errors) console.error(`${file}:${e.line}: ${e.message}`);
      console.error(`${read.errors.length} line(s) not understood: nothing was sent`);
      return 2;
    }
    if (values["dry-run"]) {
      console.log(`${read.bookings.length} booking(s) read; --dry-run: nothing sent`);
      return 0;
    }
    const username = text("username") ?? env.VOORU_MQTT_USERNAME;
    const password = text("password") ?? env.VOORU_MQTT_PASSWORD;
    const client = ContractClient.connect({
      url: brokerUrl(config, text("url"), env),
      office: config.office.id,
      ...(username ? { username } : {}),
      ...(password ? { password } : {}),
      connectTimeoutMs: 5000,
    });
    let refused = 0;
    const replies: unknown[] = [];
    try {
      for (const b of read.bookings) {
        const reply = await client.request(
          { scope: "appointments", verb: "add" },
          { code: b.code, service: b.service, at: new Date(b.at).toISOString() },
        );
        replies.push(reply);
        if (!reply.ok) {
          refused++;
          if (!values.json)
            console.error(`${file}:${b.line}: ${b.code}: ${reply.error.code}: ${reply.error.message}`);
        } else if (!values.json) {
          const unchanged = (reply.result as { unchanged?: boolean }).unchanged === true;
          console.log(
            `${b.code} ${b.service} ${new Date(b.at).toISOString()}${unchanged ? " (unchanged)" : ""}`,
          );
        }
      }
    } finally {
      await client.close();
    }
    if (values.json) console.log(JSON.stringify(replies));
    else console.log(`${read.bookings.length - refused} of ${read.bookings.length} booking(s) taken`);
    return refused === 0 ? 0 : 1;
  },
};
