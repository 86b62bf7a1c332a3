// A call blinks so the waiting room notices it. A board that flashes by itself (Alpha) gets the
// flash in its frame and a steady frame after blinkFor; one that cannot (7-segment modules) gets
// blank and text in turn every blinkMs, then the text steady.

import type { Timers } from "../timers.js";
import type { BoardSlot } from "./board-jobs.js";

export interface BlinkSettings {
  blinkMs: number;
  blinkFor: number;
  nativeBlink: boolean;
  timers: Timers;
}

/** Starts after the blinking show was written; `put` queues each step's text. A newer show stops it. */
export function startBlink(
  board: BoardSlot,
  o: BlinkSettings,
  width: number,
  put: (text: string) => void,
): void {
  stopBlink(board, o.timers);
  const text = board.want?.text ?? "";
  const gen = board.gen;
  const steps = o.nativeBlink ? 1 : Math.max(1, Math.round(o.blinkFor / o.blinkMs));
  const blank = " ".repeat(Math.max(1, width));
  let step = 0;
  board.blinkTimer = o.timers.setInterval(
    () => {
      step++;
      if (board.gen !== gen) return stopBlink(board, o.timers);
      const last = step >= steps;
      if (last) stopBlink(board, o.timers);
      put(last || step % 2 === 0 ? text : blank);
    },
    o.nativeBlink ? o.blinkFor : o.blinkMs,
  );
}

export function stopBlink(board: BoardSlot, timers: Timers): void {
  if (board.blinkTimer === null) return;
  timers.clearInterval(board.blinkTimer);
  board.blinkTimer = null;
}
