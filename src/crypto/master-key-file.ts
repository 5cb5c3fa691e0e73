/**
 * The local keyring: versioned 256-bit master keys, from `DATA_DIR/master.key` (JSON, mode 0600,
 * created at first use) or from `OPENESC_MASTER_KEY`. The newest version wraps; all unwrap.
 *
 * File: `{"format":"openesc-master-key/1","keys":[{"version":1,"key":"BASE64","createdAt":"ISO"}]}`.
 * Variable: `BASE64` (version 1) or `VERSION:BASE64,VERSION:BASE64,…` (any order; the highest wraps).
 */
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { KEY_BYTES } from "./aes-gcm.js";
import { KeyProviderError } from "./crypto-errors.js";

export const MASTER_KEY_FORMAT = "openesc-master-key/1";

/** Key bytes by version. */
export type Keyring = ReadonlyMap<number, Uint8Array>;

interface KeyFile {
  format: string;
  keys: { version: number; key: string; createdAt: string }[];
}

/** Parses `OPENESC_MASTER_KEY`; throws KeyProviderError naming the variable (never its value). */
export function parseMasterKeyVariable(text: string, variable = "OPENESC_MASTER_KEY"): Keyring {
  const ring = new Map<number, Uint8Array>();
  const entries = text.trim().split(",").map((e) => e.trim());
  for (const entry of entries) {
    const m = /^(?:(\d{1,9}):)?([A-Za-z0-9+/=_-]+)$/.exec(entry);
    const version = m?.[1] === undefined ? (entries.length === 1 ? 1 : NaN) : Number(m[1]);
    const key = m === null ? undefined : decodeKey(m[2] as string);
    if (key === undefined || !Number.isInteger(version) || version < 1) {
      throw new KeyProviderError(
        `${variable} must be the base64 of ${KEY_BYTES} bytes, or a list VERSION:BASE64,… of them (generate one with: openssl rand -base64 32)`,
      );
    }
    if (ring.has(version)) throw new KeyProviderError(`${variable} names key version ${version} twice`);
    ring.set(version, key);
  }
  return ring;
}

/** Reads the key file; undefined when it does not exist. Refuses a file others can read. */
export function readKeyFile(path: string): Keyring | undefined {
  let text: string;
  try {
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new KeyProviderError(
        `master key file ${path} is accessible by group or others (mode ${mode.toString(8).padStart(4, "0")}): run chmod 600 ${path}`,
      );
    }
    text = readFileSync(path, "utf8");
  } catch (err) {
    if (isCode(err, "ENOENT")) return undefined;
    if (err instanceof KeyProviderError) throw err;
    throw new KeyProviderError(`cannot read master key file ${path}: ${(err as Error).message}`);
  }
  let file: KeyFile;
  try {
    file = JSON.parse(text) as KeyFile;
  } catch {
    throw new KeyProviderError(`master key file ${path} is not valid JSON`);
  }
  if (file.format !== MASTER_KEY_FORMAT || !Array.isArray(file.keys) || file.keys.length === 0) {
    throw new KeyProviderError(`master key file ${path} is not an OpenESC master key file (${MASTER_KEY_FORMAT})`);
  }
  const ring = new Map<number, Uint8Array>();
  for (const k of file.keys) {
    const key = typeof k.key === "string" ? decodeKey(k.key) : undefined;
    if (!Number.isInteger(k.version) || k.version < 1 || key === undefined || ring.has(k.version)) {
      throw new KeyProviderError(`master key file ${path} has an invalid entry (version ${String(k.version)})`);
    }
    ring.set(k.version, key);
  }
  return ring;
}

/**
 * Creates the key file with one fresh version-1 key, mode 0600, failing if it exists (so two
 * processes starting at once agree on one key). Returns false when another process created it first.
 */
export function createKeyFile(path: string): boolean {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let fd: number;
  try {
    fd = openSync(path, "wx", 0o600);
  } catch (err) {
    if (isCode(err, "EEXIST")) return false;
    throw new KeyProviderError(`cannot create master key file ${path}: ${(err as Error).message}`);
  }
  try {
    writeSync(fd, serialise(new Map([[1, randomBytes(KEY_BYTES)]])));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Adds version max+1 with a fresh key, replacing the file atomically (mode 0600). Returns the version. */
export function addKeyFileVersion(path: string): number {
  const ring = readKeyFile(path);
  if (ring === undefined) throw new KeyProviderError(`master key file ${path} does not exist: nothing to rotate`);
  const version = Math.max(...ring.keys()) + 1;
  // Append to the file as read, so earlier entries keep their creation times.
  const file = JSON.parse(readFileSync(path, "utf8")) as KeyFile;
  file.keys.push({ version, key: randomBytes(KEY_BYTES).toString("base64"), createdAt: new Date().toISOString() });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const fd = openSync(tmp, "wx", 0o600);
  try {
    writeSync(fd, `${JSON.stringify(file, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return version;
}

/** The newest version of a keyring. */
export function newestVersion(ring: Keyring): number {
  return Math.max(...ring.keys());
}

function serialise(ring: Keyring): string {
  const createdAt = new Date().toISOString();
  const keys = [...ring].sort(([a], [b]) => a - b).map(([version, key]) => ({ version, key: Buffer.from(key).toString("base64"), createdAt }));
  return `${JSON.stringify({ format: MASTER_KEY_FORMAT, keys }, null, 2)}\n`;
}

function decodeKey(text: string): Uint8Array | undefined {
  const bytes = Buffer.from(text, text.includes("-") || text.includes("_") ? "base64url" : "base64");
  return bytes.length === KEY_BYTES ? new Uint8Array(bytes) : undefined;
}

function isCode(err: unknown, code: string): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === code;
}
