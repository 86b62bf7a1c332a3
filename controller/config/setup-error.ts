// Why a room could not build a configured device: typed, so the CLI answers with the reason and
// exit 2 (the configuration asks for something this start cannot give) instead of a stack trace.
export type SetupErrorCode =
  | "SIMULATED_WITHOUT_DEMO"
  | "NODE_WITHOUT_HUB"
  | "NOT_ON_THIS_MACHINE"
  /** The web server's certificate or key (mqtt.embedded.tls) cannot be read or does not fit. */
  | "TLS_FILES"
  /** A listener's port is taken, privileged, or its address is not this machine's. */
  | "PORT_IN_USE";

export class SetupError extends Error {
  constructor(
    readonly code: SetupErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "SetupError";
  }
}

/** A "simulated" device in a configuration started without the demo composition (demo/). */
export function simulatedWithoutDemo(kind: string, id: string): SetupError {
  return new SetupError(
    "SIMULATED_WITHOUT_DEMO",
    `${kind} ${id} is "simulated": simulated devices run only in the demo composition (vooru start runs it; demo/ in code)`,
  );
}
