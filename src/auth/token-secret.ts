import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

const PREFIX = "oesc_";
const ID_PATTERN = /^[0-9a-f]{16}$/;
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A freshly minted API token: the secret is shown once, only its hash is stored. */
export interface MintedToken {
  readonly id: string;
  readonly secret: string;
  readonly secretHash: string;
}

/**
 * Mints a token `oesc_<id>_<random>`: 64 bits of public id (the lookup key) and 256 bits of
 * randomness. The id lets the server find the row without comparing secrets in SQL.
 */
export function mintToken(): MintedToken {
  const id = randomBytes(8).toString("hex");
  const secret = `${PREFIX}${id}_${randomBytes(32).toString("base64url")}`;
  return { id, secret, secretHash: hashTokenSecret(secret) };
}

/** SHA-256 (hex) of a token secret. */
export function hashTokenSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** Extracts the token id from a well-formed secret; undefined for anything else. */
export function parseTokenId(secret: string): string | undefined {
  if (!secret.startsWith(PREFIX)) return undefined;
  const rest = secret.slice(PREFIX.length);
  const sep = rest.indexOf("_");
  if (sep < 0) return undefined;
  const id = rest.slice(0, sep);
  return ID_PATTERN.test(id) && SECRET_PATTERN.test(rest.slice(sep + 1)) ? id : undefined;
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatchesHash(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashTokenSecret(secret), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
