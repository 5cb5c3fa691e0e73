/**
 * Canonical JSON: the one byte string an audit event hashes to. Object keys are sorted by UTF-16
 * code unit, there is no whitespace, strings and numbers are written as JSON.stringify writes them
 * (deterministic in every JavaScript engine), and anything without one obvious encoding (undefined,
 * functions, non-finite numbers, bigints) is refused rather than silently dropped.
 */
export type CanonicalValue = null | boolean | number | string | readonly CanonicalValue[] | { readonly [key: string]: CanonicalValue };

/** The canonical JSON text of `value`; throws TypeError on a value JSON cannot carry exactly. */
export function canonicalJson(value: CanonicalValue): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`canonical json: ${value} has no JSON form`);
    // -0 and 0 must hash alike: JSON.stringify(-0) is "0" already.
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v: CanonicalValue) => canonicalJson(v)).join(",")}]`;
  if (typeof value === "object") {
    const obj = value as { readonly [key: string]: CanonicalValue };
    const keys = Object.keys(obj).sort();
    const parts: string[] = [];
    for (const key of keys) {
      const v = obj[key];
      if (v === undefined) throw new TypeError(`canonical json: key "${key}" is undefined`);
      parts.push(`${JSON.stringify(key)}:${canonicalJson(v)}`);
    }
    return `{${parts.join(",")}}`;
  }
  throw new TypeError(`canonical json: a ${typeof value} has no JSON form`);
}
