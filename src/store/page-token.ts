/**
 * Page tokens: the last key of a page, as base64url JSON. Opaque to callers; a token that does
 * not decode to a key of the expected shape is InvalidArgument ("invalid page token").
 */
import { storeErrors } from "./errors.js";

type KeyPart = "string" | "number";
type KeyOf<S extends readonly KeyPart[]> = { -readonly [I in keyof S]: S[I] extends "number" ? number : string };

/** Encodes the key of the last item of a page. */
export function encodePageToken(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
}

/** The key in `token`, undefined for "" (the first page). Throws InvalidArgument when malformed. */
export function decodePageToken<const S extends readonly KeyPart[]>(token: string, shape: S): KeyOf<S> | undefined {
  if (token === "") return undefined;
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw storeErrors.invalidPageToken();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw storeErrors.invalidPageToken();
  }
  const ok =
    Array.isArray(value) &&
    value.length === shape.length &&
    value.every((v, i) => (shape[i] === "number" ? Number.isSafeInteger(v) : typeof v === "string"));
  if (!ok) throw storeErrors.invalidPageToken();
  return value as KeyOf<S>;
}

/** Builds a page from up to pageSize+1 fetched rows: the extra row only says there is more. */
export function toPage<R, T>(rows: readonly R[], pageSize: number, map: (row: R) => T, keyOf: (row: R) => readonly (string | number)[]): {
  items: T[];
  nextPageToken: string;
} {
  const more = rows.length > pageSize;
  const kept = more ? rows.slice(0, pageSize) : rows;
  const last = kept[kept.length - 1];
  return { items: kept.map(map), nextPageToken: more && last !== undefined ? encodePageToken(keyOf(last)) : "" };
}
