/**
 * The payload inside an `escx` envelope (esc-language.md §16.1) for OpenESC's own ciphertext:
 *
 * ```
 * format (1 byte) = 1 | data key id (16 bytes, a UUID) | nonce (12) | AES-256-GCM ciphertext | tag (16)
 * ```
 *
 * The data key id names the row in `data_keys`, and with it the key-encryption key and its version.
 * The associated data is the environment's identity (`environmentAad`), so a payload copied into
 * another environment does not decrypt there.
 */
import { NONCE_BYTES, TAG_BYTES } from "./aes-gcm.js";
import { SecretDecryptionError } from "./crypto-errors.js";

export const PAYLOAD_FORMAT = 1;
const ID_BYTES = 16;
const HEADER_BYTES = 1 + ID_BYTES;

/** The environment identity a payload is bound to. */
export interface EnvironmentIdentity {
  readonly org: string;
  readonly project: string;
  readonly name: string;
}

/** `openesc:v1:ORG/PROJECT/ENV`, plus `#CONTEXT` when a context narrows it (e.g. a session id). */
export function environmentAad(env: EnvironmentIdentity, context?: string): Uint8Array {
  const base = `openesc:v${PAYLOAD_FORMAT}:${env.org}/${env.project}/${env.name}`;
  return new TextEncoder().encode(context === undefined ? base : `${base}#${context}`);
}

/** `ORG/PROJECT/ENV`. */
export function environmentName(env: EnvironmentIdentity): string {
  return `${env.org}/${env.project}/${env.name}`;
}

/** Frames a sealed value (nonce | ciphertext | tag) with its data key id. */
export function encodePayload(dataKeyId: string, sealed: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + sealed.length);
  out[0] = PAYLOAD_FORMAT;
  out.set(uuidBytes(dataKeyId), 1);
  out.set(sealed, HEADER_BYTES);
  return out;
}

/** Splits a payload; throws SecretDecryptionError("malformed") for one this module did not write. */
export function decodePayload(payload: Uint8Array): { dataKeyId: string; sealed: Uint8Array } {
  if (payload.length < 1) throw new SecretDecryptionError("malformed", "ciphertext payload is empty");
  if (payload[0] !== PAYLOAD_FORMAT) {
    throw new SecretDecryptionError("malformed", `unsupported ciphertext payload format ${payload[0]} (not written by this server?)`);
  }
  if (payload.length < HEADER_BYTES + NONCE_BYTES + TAG_BYTES) throw new SecretDecryptionError("malformed", "ciphertext payload is truncated");
  return { dataKeyId: uuidText(payload.subarray(1, HEADER_BYTES)), sealed: payload.subarray(HEADER_BYTES) };
}

function uuidBytes(id: string): Uint8Array {
  const hex = id.replace(/-/g, "");
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`data key id "${id}" is not a UUID`);
  return new Uint8Array(Buffer.from(hex, "hex"));
}

function uuidText(bytes: Uint8Array): string {
  const h = Buffer.from(bytes).toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
