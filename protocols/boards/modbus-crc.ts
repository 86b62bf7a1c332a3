// CRC-16/MODBUS (Modbus over Serial Line V1.02, 6.2.2): reflected polynomial 0xA001, initial
// value 0xFFFF, sent low byte first. Check value for ASCII "123456789" is 0x4B37.

export function crc16Modbus(bytes: ArrayLike<number>): number {
  let crc = 0xffff;
  for (let i = 0; i < bytes.length; i++) {
    crc ^= (bytes[i] ?? 0) & 0xff;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

/** The frame with its CRC appended, low byte first. */
export function withCrc(frame: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(frame.length + 2);
  out.set(Array.from(frame, (b) => b & 0xff));
  const crc = crc16Modbus(frame);
  out[frame.length] = crc & 0xff;
  out[frame.length + 1] = crc >>> 8;
  return out;
}

/** Whether the last two bytes are the CRC of the rest. */
export function checkCrc(frame: ArrayLike<number>): boolean {
  const n = frame.length;
  if (n < 3) return false;
  const crc = crc16Modbus(Array.prototype.slice.call(frame, 0, n - 2) as number[]);
  return frame[n - 2] === (crc & 0xff) && frame[n - 1] === crc >>> 8;
}
