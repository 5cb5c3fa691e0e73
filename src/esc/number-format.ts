/**
 * Go `strconv.FormatFloat(f, 'g', -1, 64)` (esc-language.md §1.3): shortest round-trip digits, exponent form
 * when the decimal exponent is < -4 or >= 6, with a signed exponent of at least two digits.
 */
export function formatGoFloat(f: number): string {
  if (Number.isNaN(f)) return "NaN";
  if (f === Infinity) return "+Inf";
  if (f === -Infinity) return "-Inf";
  if (f === 0) return Object.is(f, -0) ? "-0" : "0";
  const neg = f < 0;
  const [mant, expText] = Math.abs(f).toExponential().split("e") as [string, string];
  const digits = mant.replace(".", "");
  const exp = Number(expText);
  let out: string;
  if (exp < -4 || exp >= 6) {
    const frac = digits.length > 1 ? "." + digits.slice(1) : "";
    const e = Math.abs(exp);
    out = digits[0] + frac + "e" + (exp < 0 ? "-" : "+") + (e < 10 ? "0" + e : String(e));
  } else if (exp < 0) {
    out = "0." + "0".repeat(-exp - 1) + digits;
  } else if (digits.length <= exp + 1) {
    out = digits + "0".repeat(exp + 1 - digits.length);
  } else {
    out = digits.slice(0, exp + 1) + "." + digits.slice(exp + 1);
  }
  return neg ? "-" + out : out;
}

const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** Go `strconv.ParseInt(s, 0, 64)`/`ParseUint` semantics: base prefixes, leading-zero octal. */
function parseGoInt(s: string): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const sign = m[1] === "-" ? -1n : 1n;
  let body = m[2] as string;
  let v: bigint;
  if (/^0[xXoObB]/.test(body)) v = BigInt("0" + body[1]!.toLowerCase() + body.slice(2));
  else if (body.length > 1 && body[0] === "0") { body = body.slice(1); v = BigInt("0o" + body); }
  else v = BigInt(body);
  v *= sign;
  if (v < INT64_MIN || v > UINT64_MAX) return undefined;
  return v;
}

/** The resolved value of a plain YAML scalar (esc-language.md §1.2). Numbers are decimal text. */
export type PlainScalar =
  | { readonly kind: "null" }
  | { readonly kind: "boolean"; readonly value: boolean }
  | { readonly kind: "number"; readonly value: string }
  | { readonly kind: "string"; readonly value: string };

const NULLS = new Set(["", "~", "null", "Null", "NULL"]);
const TRUES = new Set(["true", "True", "TRUE"]);
const FALSES = new Set(["false", "False", "FALSE"]);
const POS_INF = new Set([".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"]);
const NEG_INF = new Set(["-.inf", "-.Inf", "-.INF"]);
const NANS = new Set([".nan", ".NaN", ".NAN"]);

/** Resolves plain scalar text like go-yaml v3 decoding into an untyped value. */
export function resolvePlainScalar(text: string): PlainScalar {
  const c0 = text.charCodeAt(0);
  // Fast path: text starting with a letter other than n/N/t/T/f/F (or with `$`, `"`…) is always a string.
  if ((c0 >= 0x61 && c0 <= 0x7a && c0 !== 0x6e && c0 !== 0x74 && c0 !== 0x66) ||
    (c0 >= 0x41 && c0 <= 0x5a && c0 !== 0x4e && c0 !== 0x54 && c0 !== 0x46) || c0 === 0x24) {
    return { kind: "string", value: text };
  }
  // Fast path: short decimal integers are their own text.
  if (c0 >= 0x31 && c0 <= 0x39 && text.length <= 15 && /^[0-9]+$/.test(text)) return { kind: "number", value: text };
  if (NULLS.has(text)) return { kind: "null" };
  if (TRUES.has(text)) return { kind: "boolean", value: true };
  if (FALSES.has(text)) return { kind: "boolean", value: false };
  if (POS_INF.has(text)) return { kind: "number", value: "+Inf" };
  if (NEG_INF.has(text)) return { kind: "number", value: "-Inf" };
  if (NANS.has(text)) return { kind: "number", value: "NaN" };
  const c = text[0] ?? "";
  if (c === ".") {
    if (/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text) && Number.isFinite(Number(text))) return { kind: "number", value: formatGoFloat(Number(text)) };
    return { kind: "string", value: text };
  }
  if (!/[0-9+-]/.test(c)) return { kind: "string", value: text };
  const plain = text.replace(/_/g, "");
  const i = parseGoInt(plain);
  if (i !== undefined) return { kind: "number", value: i.toString() };
  if (YAML_FLOAT.test(plain)) {
    const f = Number(plain);
    // Go's ParseFloat fails with ErrRange on overflow, and go-yaml then keeps the text as a string.
    if (Number.isFinite(f)) return { kind: "number", value: formatGoFloat(f) };
  }
  return { kind: "string", value: text };
}

/** Formats a JavaScript number as ESC decimal text: exact integers, otherwise Go `%g` shortest form. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return Object.is(n, -0) ? "0" : String(n);
  return formatGoFloat(n);
}
