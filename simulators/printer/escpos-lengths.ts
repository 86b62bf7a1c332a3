// How many bytes each ESC/POS command occupies, from Epson's command reference, so the decoder can
// step over commands it does not act on without losing sync. `head` is parsed in one piece (so it
// is kept small: headers, QR data, process ids); `data` is streamed past (images, NV definitions).

export type CommandLength = { head: number; data: number } | "more" | "unknown";

// Fixed total lengths by the byte after the prefix.
const ESC_FIXED: Record<number, number> = {
  64: 2, // @ init
  50: 2, // 2 default line spacing
  76: 2, // L page mode
  83: 2, // S standard mode
  105: 2, // i cut (legacy)
  109: 2, // m partial cut (legacy)
  118: 2, // v paper sensor (legacy)
  12: 2, // FF print page
  33: 3, // ! print mode
  32: 3, // SP right spacing
  37: 3, // % user chars on/off
  45: 3, // - underline
  51: 3, // 3 line spacing
  61: 3, // = peripheral
  63: 3, // ? cancel user char
  69: 3, // E bold
  71: 3, // G double strike
  74: 3, // J feed dots
  75: 3, // K reverse feed dots
  77: 3, // M font
  82: 3, // R international set
  84: 3, // T page direction
  85: 3, // U unidirectional
  86: 3, // V rotate
  97: 3, // a align
  100: 3, // d feed lines
  101: 3, // e reverse feed lines
  114: 3, // r colour
  116: 3, // t code page
  117: 3, // u peripheral status (legacy)
  123: 3, // { upside down
  36: 4, // $ absolute position
  92: 4, // \ relative position
  99: 4, // c 3/4/5 n panel and sensors
  66: 4, // B n t buzzer (clones)
  112: 5, // p drawer pulse
  87: 10, // W page area
};

const FS_FIXED: Record<number, number> = {
  46: 2, // . cancel Kanji
  38: 2, // & Kanji mode
  33: 3, // ! Kanji print mode
  45: 3, // - Kanji underline
  67: 3, // C Kanji code system
  87: 3, // W Kanji quadruple
  83: 4, // S Kanji spacing
  112: 4, // p print NV bit image (legacy)
  50: 76, // 2 c1 c2 + 72 bytes: define Kanji character
};

const GS_FIXED: Record<number, number> = {
  58: 2, // : macro start/end
  99: 2, // c print counter
  33: 3, // ! character size
  47: 3, // / print downloaded image
  66: 3, // B reverse
  69: 3, // E head energy
  72: 3, // H HRI position
  73: 3, // I printer id
  84: 3, // T print position
  97: 3, // a ASB
  98: 3, // b smoothing
  102: 3, // f HRI font
  104: 3, // h barcode height
  106: 3, // j ink ASB
  114: 3, // r transmit status
  119: 3, // w barcode module width
  36: 4, // $ vertical position
  76: 4, // L left margin
  80: 4, // P motion units
  87: 4, // W print area width
  92: 4, // \ relative vertical position
  94: 5, // ^ macro execute
  103: 5, // g 0 / g 2 maintenance counters
  122: 5, // z 0 online recovery wait
};

const GS_PAREN_KNOWN = new Set([
  0x41, 0x43, 0x44, 0x45, 0x48, 0x4b, 0x4c, 0x4d, 0x4e, 0x50, 0x51, 0x6b, 0x7a,
]);

const fixed = (n: number): CommandLength => ({ head: n, data: 0 });

/** Length of the command at `buf[i]` (a DLE, ESC, FS or GS prefix with one more byte present). */
export function commandLength(buf: Uint8Array, i: number): CommandLength {
  const prefix = buf[i] as number;
  const c = buf[i + 1] as number;
  const have = buf.length - i;
  const at = (k: number): number | undefined => buf[i + k];
  const u16 = (k: number): number => (buf[i + k] ?? 0) + (buf[i + k + 1] ?? 0) * 256;
  if (prefix === 0x10) {
    if (c === 0x05) return fixed(3); // DLE ENQ n
    if (c === 0x04) return have < 3 ? "more" : fixed([7, 8, 18].includes(at(2) ?? 0) ? 4 : 3);
    if (c !== 0x14) return "unknown";
    if (have < 3) return "more";
    const fn = at(2);
    return fixed(fn === 1 || fn === 2 ? 5 : fn === 7 ? 4 : fn === 8 ? 10 : 3);
  }
  if (prefix === 0x1b) {
    const n = ESC_FIXED[c];
    if (n !== undefined) return fixed(n);
    if (c === 0x2a) {
      // ESC * m nL nH: 8-dot modes (0, 1) one byte a column, 24-dot modes (32, 33) three.
      if (have < 5) return "more";
      return { head: 5, data: u16(3) * ((at(2) ?? 0) >= 32 ? 3 : 1) };
    }
    if (c === 0x28) return have < 5 ? "more" : { head: 5, data: u16(3) };
    if (c === 0x44) return untilNul(buf, i + 2, i, 33); // ESC D tab stops
    if (c === 0x26) return userChars(buf, i);
    return "unknown";
  }
  if (prefix === 0x1c) {
    const n = FS_FIXED[c];
    if (n !== undefined) return fixed(n);
    if (c === 0x28) return have < 5 ? "more" : { head: 5, data: u16(3) };
    if (c === 0x71) return nvImages(buf, i);
    return "unknown";
  }
  const n = GS_FIXED[c];
  if (n !== undefined) return fixed(n);
  switch (c) {
    case 0x56: // V m [n]: m 65, 66, 97, 98, 103, 104 take a feed amount
      return have < 3 ? "more" : fixed([65, 66, 97, 98, 103, 104].includes(at(2) ?? 0) ? 4 : 3);
    case 0x76: // v 0 m xL xH yL yH
      return have < 8 ? "more" : { head: 8, data: u16(4) * u16(6) };
    case 0x2a: // * x y: x*y*8 bytes
      return have < 4 ? "more" : { head: 4, data: (at(2) ?? 0) * (at(3) ?? 0) * 8 };
    case 0x6b: {
      // k m: m 0..6 NUL-terminated data, m 65.. a length byte
      if (have < 3) return "more";
      const m = at(2) ?? 0;
      if (m <= 6) return untilNul(buf, i + 3, i, 256);
      return have < 4 ? "more" : fixed(4 + (at(3) ?? 0));
    }
    case 0x43: // C 0 / C 1 / C 2 serial number counters
      if (have < 3) return "more";
      return at(2) === 0x30 || at(2) === 0x32 ? fixed(5) : at(2) === 0x31 ? fixed(9) : "unknown";
    case 0x28: {
      if (have < 5) return "more";
      const letter = at(2) ?? 0;
      if (!GS_PAREN_KNOWN.has(letter)) return "unknown";
      const p = u16(3);
      if (letter === 0x6b || letter === 0x48) return fixed(5 + p);
      if (letter === 0x4c) return graphicsLength(have, 5, p, at(6));
      return { head: 5, data: p };
    }
    case 0x38: {
      // 8 L p1 p2 p3 p4 m fn: GS ( L with a 32-bit length
      if (have < 9) return "more";
      if (at(2) !== 0x4c) return "unknown";
      const p = u16(3) + u16(5) * 65536;
      return graphicsLength(have, 7, p, at(8));
    }
  }
  return "unknown";
}

/** GS ( L / GS 8 L: the NV logo print (fn 69) is read whole, everything else streams past. */
function graphicsLength(have: number, head: number, p: number, fn: number | undefined): CommandLength {
  if (have < head + 2) return "more";
  if (fn === 0x45) return fixed(head + p);
  return { head: head + 2, data: Math.max(0, p - 2) };
}

function untilNul(buf: Uint8Array, from: number, start: number, max: number): CommandLength {
  for (let k = from; k < buf.length && k - from <= max; k++) {
    if (buf[k] === 0) return fixed(k - start + 1);
  }
  return buf.length - from > max ? "unknown" : "more";
}

/** ESC & y c1 c2 [x d1..d(y*x)]...: user-defined characters. */
function userChars(buf: Uint8Array, i: number): CommandLength {
  if (buf.length - i < 5) return "more";
  const y = buf[i + 2] as number;
  const count = (buf[i + 4] as number) - (buf[i + 3] as number) + 1;
  let k = i + 5;
  for (let c = 0; c < count; c++) {
    if (k >= buf.length) return "more";
    k += 1 + y * (buf[k] as number);
  }
  return k > buf.length ? "more" : fixed(k - i);
}

/** FS q n [xL xH yL yH d1..dk]...: legacy NV image definitions, k = x*y*8. */
function nvImages(buf: Uint8Array, i: number): CommandLength {
  if (buf.length - i < 3) return "more";
  let k = i + 3;
  for (let img = 0; img < (buf[i + 2] as number); img++) {
    if (k + 4 > buf.length) return "more";
    const x = (buf[k] as number) + (buf[k + 1] as number) * 256;
    const y = (buf[k + 2] as number) + (buf[k + 3] as number) * 256;
    k += 4 + x * y * 8;
  }
  return k > buf.length ? "more" : fixed(k - i);
}
