// Alpha protocol signs (BetaBrite and kin), one or several by address on one line. A sign takes
// TEXT file writes and shows file A; it never answers, so a dead sign and a live one look the
// same to the controller, and only what the sign shows tells them apart.

import { type AlphaFrame, AlphaFrameParser } from "../../protocols/boards/alpha.js";

export interface AlphaDisplay {
  /** File A's text, "\n" between lines; "" when nothing is shown. */
  text: string;
  /** "hold", "flash", "rotate", ...; "" when nothing is shown. */
  mode: string;
  flashing: boolean;
}

export interface AlphaHistoryEntry extends AlphaDisplay {
  at: number;
}

export interface AlphaSignStats {
  /** Commands taken from well-formed packets, for any address. */
  frames: number;
  /** Commands dropped for a wrong checksum. */
  badChecksums: number;
  garbageBytes: number;
}

export interface VirtualAlphaSignOptions {
  /** Sign addresses (1..255) on the line; [1] by default. "00" in a packet reaches every sign. */
  addresses?: number[];
  /** The signs' type code; undefined takes any. "Z" (all types) always reaches them. */
  typeCode?: string;
  /** Clock for history(); Date.now by default. */
  now?: () => number;
}

// Mode codes of the protocol's mode field; "n" + a character are the special modes.
const MODES: Record<string, string> = {
  a: "rotate",
  b: "hold",
  c: "flash",
  e: "roll up",
  f: "roll down",
  g: "roll left",
  h: "roll right",
  i: "wipe up",
  j: "wipe down",
  k: "wipe left",
  l: "wipe right",
  m: "scroll",
  o: "automode",
  p: "roll in",
  q: "roll out",
  r: "wipe in",
  s: "wipe out",
  t: "compressed rotate",
  u: "explode",
  v: "clock",
};

function modeName(code: string | undefined): string {
  // Without a mode field the sign picks its own effects: automode.
  if (code === undefined) return "automode";
  if (code.length === 2 && code[0] === "n") return `special ${code[1]}`;
  return MODES[code] ?? `mode ${code}`;
}

const BLANK: AlphaDisplay = { text: "", mode: "", flashing: false };

interface Sign {
  readonly address: number;
  dead: boolean;
  /** TEXT files by label; file A is what the sign shows. */
  files: Map<string, AlphaDisplay>;
  history: AlphaHistoryEntry[];
}

export class VirtualAlphaSign {
  private readonly signs = new Map<number, Sign>();
  private readonly parser = new AlphaFrameParser();
  private readonly typeCode: string | undefined;
  private readonly now: () => number;
  private frames = 0;

  constructor(options: VirtualAlphaSignOptions = {}) {
    const addresses = options.addresses ?? [1];
    if (addresses.length === 0) throw new RangeError("at least one sign address is needed");
    for (const address of addresses) {
      if (!Number.isInteger(address) || address < 1 || address > 255) {
        throw new RangeError(`Alpha sign address must be 1..255, got ${address}`);
      }
      this.signs.set(address, { address, dead: false, files: new Map(), history: [] });
    }
    this.typeCode = options.typeCode;
    this.now = options.now ?? Date.now;
  }

  /** Bytes from the controller. */
  receive(chunk: Uint8Array): void {
    for (const frame of this.parser.push(chunk)) {
      this.frames++;
      // Text commands only; special functions (time, memory layout, ...) change nothing shown.
      if (frame.command !== "A" || frame.fileLabel === "") continue;
      if (this.typeCode !== undefined && frame.typeCode !== "Z" && frame.typeCode !== this.typeCode) continue;
      for (const sign of this.signs.values()) {
        if (!sign.dead && addressMatches(frame.address, sign.address)) this.write(sign, frame);
      }
    }
  }

  /** Signs never answer: the handler is never called. Here so the sign fits any attachment. */
  onOutput(_handler: (bytes: Uint8Array) => void): () => void {
    return () => {};
  }

  /** What the sign at `address` (the first one by default) shows: its file A. */
  display(address?: number): AlphaDisplay {
    return this.file("A", address);
  }

  /** A TEXT file's content, shown or not. */
  file(label: string, address?: number): AlphaDisplay {
    const sign = this.sign(address);
    return { ...(sign.files.get(label) ?? BLANK) };
  }

  /** Every change of what the sign shows, oldest first. */
  history(address?: number): AlphaHistoryEntry[] {
    return this.sign(address).history.map((entry) => ({ ...entry }));
  }

  /** Power lost: nothing shown, nothing kept. Without an address, every sign on the line. */
  setDead(dead: boolean, address?: number): void {
    const signs = address === undefined ? [...this.signs.values()] : [this.sign(address)];
    for (const sign of signs) {
      if (sign.dead === dead) continue;
      sign.dead = dead;
      sign.files.clear();
      this.record(sign);
    }
  }

  stats(): AlphaSignStats {
    return { frames: this.frames, badChecksums: this.parser.badChecksums, garbageBytes: this.parser.garbage };
  }

  private sign(address: number | undefined): Sign {
    const sign = address === undefined ? this.signs.values().next().value : this.signs.get(address);
    if (!sign) throw new Error(`no Alpha sign at address ${String(address)}`);
    return sign;
  }

  private write(sign: Sign, frame: AlphaFrame): void {
    const mode = modeName(frame.mode);
    sign.files.set(frame.fileLabel, { text: frame.text, mode, flashing: mode === "flash" });
    this.record(sign);
  }

  /** Appends what file A shows now to the history, if that changed. */
  private record(sign: Sign): void {
    const shown = sign.files.get("A") ?? BLANK;
    const last = sign.history.at(-1) ?? BLANK;
    if (shown.text === last.text && shown.mode === last.mode && shown.flashing === last.flashing) return;
    sign.history.push({ at: this.now(), ...shown });
  }
}

/** "00" reaches every sign; "?" in either digit matches any digit there ("1?" = 10..1F). */
function addressMatches(sent: string, address: number): boolean {
  if (sent === "00") return true;
  const own = address.toString(16).toUpperCase().padStart(2, "0");
  return [...sent.toUpperCase()].every((c, i) => c === "?" || c === own[i]);
}
