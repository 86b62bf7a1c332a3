// Password hashes in Mosquitto 2's own passwd format, `$7$<iterations>$<base64 salt>$<base64 hash>`
// (PBKDF2-HMAC-SHA512, 64-byte hash), so a hash in office.yaml can also go straight into
// Mosquitto's password_file. A stored password is such a hash or, in older configs, plain text.
import { createHmac, pbkdf2, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Iterations of a new hash: 20,000 take 9-10 ms on the x86 machine vooru is developed on (AMD EPYC,
 * Node 20, about 0.47 µs an iteration). A Raspberry Pi 4 (Cortex-A72 at 1.5 GHz, no SHA-512
 * instructions, like the EPYC) hashes small blocks with SHA-512 about 3.5-4.5 times slower (openssl
 * speed sha512), so 30-45 ms there: slow for guessing, quick enough for a login. Mosquitto 2 reads
 * the count from the hash, so its passwd file takes these hashes as they are.
 */
export const PASSWORD_HASH_ITERATIONS = 20_000;
/** What mosquitto_passwd 2.x writes: 101 iterations. */
export const MOSQUITTO_PASSWD_ITERATIONS = 101;
/** A hash above this many iterations is refused: checking one would stall a login for seconds. */
export const MAX_HASH_ITERATIONS = 1_000_000;

const SALT_BYTES = 12;
const HASH_BYTES = 64;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HASH = /^\$7\$([1-9][0-9]{0,8})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

export interface HashOptions {
  /** Default PASSWORD_HASH_ITERATIONS. */
  iterations?: number;
  /** Default 12 random bytes, like mosquitto_passwd. */
  salt?: Buffer;
}

interface ParsedHash {
  iterations: number;
  salt: Buffer;
  hash: Buffer;
}

function parseHash(stored: string): ParsedHash | null {
  const match = HASH.exec(stored);
  if (!match) return null;
  const [, count, salt, hash] = match as unknown as [string, string, string, string];
  const iterations = Number(count);
  if (iterations > MAX_HASH_ITERATIONS || !BASE64.test(salt) || !BASE64.test(hash)) return null;
  const parsed = { iterations, salt: Buffer.from(salt, "base64"), hash: Buffer.from(hash, "base64") };
  return parsed.salt.length > 0 && parsed.hash.length === HASH_BYTES ? parsed : null;
}

function checkIterations(iterations: number): void {
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_HASH_ITERATIONS)
    throw new RangeError(`iterations must be a whole number 1-${MAX_HASH_ITERATIONS}, not ${iterations}`);
}

/** `$7$<iterations>$<base64 salt>$<base64 hash>` of `plain`, with a fresh salt unless given one. */
export function hashPassword(plain: string, options: HashOptions = {}): string {
  const iterations = options.iterations ?? PASSWORD_HASH_ITERATIONS;
  checkIterations(iterations);
  const salt = options.salt ?? randomBytes(SALT_BYTES);
  if (salt.length === 0) throw new RangeError("the salt must not be empty");
  const hash = pbkdf2Sync(Buffer.from(plain, "utf8"), salt, iterations, HASH_BYTES, "sha512");
  return `$7$${iterations}$${salt.toString("base64")}$${hash.toString("base64")}`;
}

/** Whether `s` is a hash this module (and Mosquitto 2) can check a password against. */
export function isPasswordHash(s: string): boolean {
  return parseHash(s) !== null;
}

/**
 * Whether `s` starts like a Mosquitto hash (`$6$`, `$7$`) without being one this module reads:
 * such a value is neither a hash nor meant as a plain password.
 */
export function looksLikeBrokenHash(s: string): boolean {
  return /^\$[0-9]\$/.test(s) && !isPasswordHash(s);
}

/** Compares digests of equal length, so the time taken tells nothing about the password. */
function sameDigest(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** SHA-512-sized digest of a plain password, so plain passwords are compared at equal length too. */
function plainDigest(value: string, key: Buffer): Buffer {
  return createHmac("sha512", key).update(value, "utf8").digest();
}

const PLAIN_KEY = randomBytes(16);

/**
 * Whether `given` is the password `stored` holds: `stored` is a hash (`$7$...`) or, in a config
 * not migrated yet, the password in plain text. Constant-time in the password either way.
 */
export function verifyPassword(stored: string, given: string): boolean {
  const parsed = parseHash(stored);
  if (!parsed) return sameDigest(plainDigest(stored, PLAIN_KEY), plainDigest(given, PLAIN_KEY));
  const hash = pbkdf2Sync(Buffer.from(given, "utf8"), parsed.salt, parsed.iterations, HASH_BYTES, "sha512");
  return sameDigest(hash, parsed.hash);
}

/**
 * verifyPassword off the main thread (libuv's pool): a hash costs 30-45 ms on a Pi, which a
 * broker checking logins, or a check of many hashes, should not spend blocking the event loop.
 */
export function verifyPasswordAsync(stored: string, given: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return Promise.resolve(verifyPassword(stored, given));
  return new Promise((resolve, reject) => {
    pbkdf2(Buffer.from(given, "utf8"), parsed.salt, parsed.iterations, HASH_BYTES, "sha512", (error, hash) =>
      error ? reject(error) : resolve(sameDigest(hash, parsed.hash)),
    );
  });
}
