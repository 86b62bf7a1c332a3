// boards/{board}: what each LED board shows now, published retained through the bridge's
// connection. It follows what the controller sends to the boards (real and simulated alike), so a
// waiting-room page shows exactly the boards' texts. A blinking call is published with blink true
// and again with blink false once the boards stop blinking, so a late subscriber never blinks an
// old call.
import type { z } from "zod";
import type { boardStateSchema } from "../../protocols/mqtt/schemas.js";
import type { MqttBridge } from "../mqtt/bridge.js";
import type { BoardSetup, ShownText } from "./board-setup.js";

export type BoardState = z.infer<typeof boardStateSchema>;

/** Which counter or waiting area a board is for, from the configuration. */
export type BoardPlaces = ReadonlyMap<string, { counter?: string; zone?: string }>;

export function boardState(
  shown: ShownText,
  blink: boolean,
  place: { counter?: string; zone?: string } = {},
): BoardState {
  return {
    text: shown.text,
    lines: shown.text === "" ? [] : shown.text.split("\n"),
    blink,
    since: new Date(shown.since).toISOString(),
    ...(place.counter !== undefined ? { counter: place.counter } : {}),
    ...(place.counter === undefined && place.zone !== undefined ? { zone: place.zone } : {}),
  };
}

export function publishBoardStates(
  boards: Pick<BoardSetup, "shown" | "onShow">,
  bridge: Pick<MqttBridge, "publishExtra" | "topics">,
  blinkMs: number,
  places: BoardPlaces = new Map(),
): () => void {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const publish = (board: string, shown: ShownText) => {
    clearTimeout(timers.get(board));
    timers.delete(board);
    bridge.publishExtra(bridge.topics.board(board), boardState(shown, shown.blink, places.get(board)));
    if (!shown.blink) return;
    const timer = setTimeout(() => {
      timers.delete(board);
      bridge.publishExtra(bridge.topics.board(board), boardState(shown, false, places.get(board)));
    }, blinkMs);
    timer.unref?.();
    timers.set(board, timer);
  };
  for (const [board, shown] of boards.shown()) publish(board, shown);
  const off = boards.onShow(publish);
  return () => {
    off();
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
  };
}
