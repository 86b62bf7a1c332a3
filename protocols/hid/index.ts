// HID report codecs for the topic-button panels: X-keys and boot-protocol keypads.
export * from "./boot-keyboard.js";
export * from "./result.js";
export * from "./xkeys.js";
