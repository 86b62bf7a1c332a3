// The environment `vooru start` and the client commands share, so one `export` in a shell points
// both at the same office: VOORU_MQTT_PORT (and VOORU_HTTP_PORT) for the embedded broker that
// start runs, VOORU_MQTT_URL for a client when the broker is elsewhere, VOORU_OFFICE for the
// office id a client addresses, VOORU_MQTT_USERNAME / VOORU_MQTT_PASSWORD for its credentials.
import { UsageError } from "./usage-error.js";

export const ENVIRONMENT_USAGE = `environment (a command-line option wins over it):
  VOORU_MQTT_PORT       the embedded broker's MQTT port (start); a client's port on this machine
  VOORU_HTTP_PORT       the web pages' port (start)
  VOORU_MQTT_URL        the broker a client connects to (default mqtt://127.0.0.1:VOORU_MQTT_PORT or :1883)
  VOORU_OFFICE          the office id a client addresses (default demo)
  VOORU_MQTT_USERNAME, VOORU_MQTT_PASSWORD   a client's credentials`;

type Env = Readonly<Record<string, string | undefined>>;

/** A port from an option or the environment; undefined when neither is given. */
export function portFrom(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new UsageError(`${name} must be a port number 0-65535, not "${value}"`);
  return port;
}

/** Where a client command connects: --url, VOORU_MQTT_URL, or this machine at VOORU_MQTT_PORT. */
export function clientBrokerUrl(option: string | undefined, env: Env): string {
  if (option !== undefined) return option;
  if (env.VOORU_MQTT_URL) return env.VOORU_MQTT_URL;
  const port = portFrom("VOORU_MQTT_PORT", env.VOORU_MQTT_PORT) ?? 1883;
  return `mqtt://127.0.0.1:${port}`;
}
