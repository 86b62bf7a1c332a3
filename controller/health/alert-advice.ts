// Alert messages for the person who must act: which device, where it is plugged, what to check.
// The drivers say what happened ("Button panel desk-panel is offline: bad file descriptor"); here
// the OS's words become plain ones and each code gets what to do about it.

/** What to do, per alert code of a device (the controller's own alerts say it themselves). */
const ADVICE: Record<string, string> = {
  PAPER_LOW: "Have a new paper roll ready.",
  PAPER_OUT: "Load a new paper roll; the kiosk's buttons flash until then.",
  COVER_OPEN: "Close the printer's cover.",
  PRINTER_ERROR: "Look at the printer's error light; switch it off and on if it stays.",
  PRINTER_OFFLINE:
    "Check that the printer is switched on and its cable is plugged in; vooru reconnects by itself.",
  BOARD_OFFLINE: "Check the board's power and its bus cable (the A and B wires); it comes back by itself.",
  BOARD_BUS_OFFLINE: "Check the USB RS-485 adapter or the gateway: plugged in and powered.",
  PANEL_OFFLINE:
    "Check the panel's USB cable (an Arduino panel: its USB cable and board); it reconnects by itself.",
  PANEL_OPEN_FAILED: "Check the udev rules and that vooru is in the plugdev group (docs/raspberry-pi.md).",
  BUTTON_STUCK: "A button is held down: check that nothing rests on it and that it springs back.",
  AUDIO_OFFLINE: "Check the speaker or amplifier: power, cable, and the ALSA device in the config.",
  NODE_OFFLINE: "Check the device node's Pi: power and network.",
};

/** OS error words as a person reads them. */
const PLAIN: Array<[RegExp, string]> = [
  [/\b(EBADF|bad file descriptor)\b/i, "the device went away (unplugged or switched off)"],
  [/\b(EIO|input\/output error)\b/i, "the device went away (input/output error)"],
  [/\b(ENXIO|no such device or address)\b/i, "the device went away (unplugged)"],
  [/\b(ENOENT|no such file or directory)\b/i, "not found: is it plugged in at that path?"],
  [/\b(EACCES|permission denied)\b/i, "no permission: is vooru in the dialout, lp or plugdev group?"],
  [
    /\b(ECONNREFUSED|connection refused)\b/i,
    "the connection was refused: is it switched on, at that address?",
  ],
  [
    /\b(EHOSTUNREACH|ENETUNREACH|host is unreachable)\b/i,
    "not reachable on the network: check its cable and address",
  ],
  [/\b(ETIMEDOUT|timed out)\b/i, "no answer in time"],
];

export function plainReason(message: string): string {
  for (const [pattern, plain] of PLAIN)
    if (pattern.test(message)) return message.replace(/[^:]*$/, ` ${plain}`);
  return message;
}

/**
 * The message an alert carries: the driver's, in plain words, where the device is plugged
 * (`place`, e.g. "serial /dev/ttyUSB0 @ 19200") and what to do.
 */
export function actionableMessage(code: string, message: string, place?: string): string {
  const plain = plainReason(message).trim().replace(/\.$/, "");
  const at = place ? ` (${place})` : "";
  const advice = ADVICE[code];
  return `${plain}${at}.${advice ? ` ${advice}` : ""}`;
}
