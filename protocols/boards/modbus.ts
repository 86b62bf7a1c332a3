// Modbus RTU frames for LED boards on RS-485 (Modbus Application Protocol V1.1b3; Modbus over
// Serial Line V1.02): requests the controller sends, and the replies a simulated slave sends.
// Addresses 1..247 are slaves, 0 is broadcast (writes only, never answered).

import { withCrc } from "./modbus-crc.js";
import { type ModbusRequest, REQUEST_FUNCTIONS } from "./modbus-parsers.js";
import { assertIntIn } from "./text.js";

export { checkCrc, crc16Modbus, withCrc } from "./modbus-crc.js";
export {
  ModbusReplyParser,
  type ModbusRequest,
  ModbusRequestParser,
  parseModbusRequest,
} from "./modbus-parsers.js";

/** Register limits per request from the application protocol spec (fn 03: 125, fn 16: 123). */
export const MAX_READ_REGISTERS = 125;
export const MAX_WRITE_REGISTERS = 123;

const hi = (v: number) => (v >>> 8) & 0xff;
const lo = (v: number) => v & 0xff;

function assertSlave(address: number, broadcast: boolean): void {
  assertIntIn("Modbus address", address, broadcast ? 0 : 1, 247);
}

function assertRange(start: number, count: number, max: number): void {
  assertIntIn("register", start, 0, 0xffff);
  assertIntIn("register count", count, 1, max);
  assertIntIn("last register", start + count - 1, 0, 0xffff);
}

/** Function 06; the slave's reply is an echo of this same frame. */
export function writeSingleRegister(address: number, register: number, value: number): Uint8Array {
  assertSlave(address, true);
  assertIntIn("register", register, 0, 0xffff);
  assertIntIn("register value", value, 0, 0xffff);
  return withCrc([address, 0x06, hi(register), lo(register), hi(value), lo(value)]);
}

/** Function 16: `addr 10 start count bytecount data...`. */
export function writeMultipleRegisters(
  address: number,
  start: number,
  values: readonly number[],
): Uint8Array {
  assertSlave(address, true);
  assertRange(start, values.length, MAX_WRITE_REGISTERS);
  const data = values.flatMap((v) => {
    assertIntIn("register value", v, 0, 0xffff);
    return [hi(v), lo(v)];
  });
  return withCrc([address, 0x10, hi(start), lo(start), 0, values.length, data.length, ...data]);
}

/** Function 03; a broadcast read is meaningless, so address 0 is refused. */
export function readHoldingRegisters(address: number, start: number, count: number): Uint8Array {
  assertSlave(address, false);
  assertRange(start, count, MAX_READ_REGISTERS);
  return withCrc([address, 0x03, hi(start), lo(start), hi(count), lo(count)]);
}

/** The frame of a parsed request: `parseModbusRequest(encodeModbusRequest(r))` gives `r` back. */
export function encodeModbusRequest(request: ModbusRequest): Uint8Array {
  switch (request.function) {
    case 3:
      return readHoldingRegisters(request.address, request.start, request.count);
    case 6:
      return writeSingleRegister(request.address, request.start, request.values[0] ?? 0);
    case 16:
      return writeMultipleRegisters(request.address, request.start, request.values);
  }
}

/** A slave's reply to function 16: `addr 10 start count crc`. */
export function writeMultipleRegistersReply(address: number, start: number, count: number): Uint8Array {
  assertSlave(address, false);
  assertRange(start, count, MAX_WRITE_REGISTERS);
  return withCrc([address, 0x10, hi(start), lo(start), hi(count), lo(count)]);
}

/** A slave's reply to function 03: `addr 03 bytecount data crc`. */
export function readHoldingRegistersReply(address: number, values: readonly number[]): Uint8Array {
  assertSlave(address, false);
  assertIntIn("register count", values.length, 1, MAX_READ_REGISTERS);
  const data = values.flatMap((v) => {
    assertIntIn("register value", v, 0, 0xffff);
    return [hi(v), lo(v)];
  });
  return withCrc([address, 0x03, data.length, ...data]);
}

/** A slave's exception reply: `addr fn|0x80 code crc` (codes: 1 illegal function, 2 address, 3 value...). */
export function exceptionReply(address: number, fn: number, code: number): Uint8Array {
  assertSlave(address, false);
  if (!REQUEST_FUNCTIONS.has(fn)) throw new RangeError(`function must be 3, 6 or 16, got ${String(fn)}`);
  assertIntIn("exception code", code, 1, 0xff);
  return withCrc([address, fn | 0x80, code]);
}
