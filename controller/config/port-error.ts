// A listener that cannot bind: one line saying which port, who may hold it and what to set,
// instead of a bare EADDRINUSE. Typed (SetupError PORT_IN_USE), so the start exits 2 and the
// systemd unit does not restart it in a loop (RestartPreventExitStatus=2).
import { createServer } from "node:net";
import { SetupError } from "./setup-error.js";

export interface PortUse {
  /** What listens there: "the embedded MQTT broker", "the web pages". */
  what: string;
  host: string;
  port: number;
  /** The config key (and flag) that moves it. */
  setting: string;
}

/** The typed error for a failed listen, or the error itself when it is something else. */
export function listenError(error: unknown, use: PortUse): unknown {
  const code = (error as NodeJS.ErrnoException)?.code;
  const where = `${use.host}:${use.port}`;
  if (code === "EADDRINUSE")
    return new SetupError(
      "PORT_IN_USE",
      `${use.what} cannot listen on ${where}: the port is in use by another program (on a Pi usually Mosquitto, or a second vooru: \`sudo ss -ltnp 'sport = :${use.port}'\` shows which). Stop it, or set ${use.setting}${use.port === 1883 ? ", or use that Mosquitto as mqtt.broker" : ""}`,
    );
  if (code === "EACCES")
    return new SetupError(
      "PORT_IN_USE",
      `${use.what} may not listen on ${where}: ports below 1024 need root; set ${use.setting} to 1024 or above`,
    );
  if (code === "EADDRNOTAVAIL")
    return new SetupError(
      "PORT_IN_USE",
      `${use.what} cannot listen on ${where}: this machine has no address ${use.host}; set mqtt.embedded.host (0.0.0.0 = every interface)`,
    );
  return error;
}

/** Whether host:port can be bound now (for `vooru check`, before a start fails on it). */
export function portFree(host: string, port: number): Promise<NodeJS.ErrnoException | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error));
    server.listen(port, host, () => server.close(() => resolve(null)));
  });
}
