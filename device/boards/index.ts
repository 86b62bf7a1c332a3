// The board side of device/: one driver per bus, whatever the boards' protocol (the codec says).

export { BoardBus, type BoardBusOptions, type BoardBusStats, type ShowResult } from "./board-bus.js";
export type { BoardOnBus } from "./board-bus-options.js";
export type * from "./types.js";
