// The follow page's token: the customer's key to their ticket's status, printed in the QR. 96
// random bits (12 bytes) as base64url, 16 characters: unguessable, and short enough that the QR
// stays small on the paper (every character of the URL is bytes on the wire and modules on paper).
import { randomBytes } from "node:crypto";

export const TOKEN_BYTES = 12;
/** A token as the follow listener accepts it: base64url, 16 to 43 characters (12 to 32 bytes). */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,43}$/;

/** A fresh token from the system's CSPRNG. */
export function newFollowToken(): string {
  return randomBytes(TOKEN_BYTES).toString("base64url");
}
