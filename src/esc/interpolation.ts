/** One accessor of a property access (esc-language.md §5.2). Offsets are UTF-8 byte offsets into the string. */
export type Accessor =
  | { readonly kind: "name"; readonly name: string; readonly start: number; readonly end: number }
  | { readonly kind: "key"; readonly name: string; readonly start: number; readonly end: number }
  | { readonly kind: "index"; readonly index: number; readonly start: number; readonly end: number };

/** A part of a scanned string: literal text, optionally followed by a property access. */
export interface InterpolationPart {
  readonly text: string;
  readonly access?: readonly Accessor[];
}

/** A parse error inside a string, with byte offsets. */
export interface InterpolationError {
  readonly summary: string;
  readonly start: number;
  readonly end: number;
}

/** The result of scanning a string for `${…}` (§5.1). */
export interface ScannedString {
  readonly parts: readonly InterpolationPart[];
  readonly errors: readonly InterpolationError[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const DOLLAR = 0x24;

/** Go `unicode.IsSpace` applied to a single byte (quirk §21.6: 0x85 and 0xA0 count). */
function isSpace(b: number): boolean {
  return b === 0x20 || (b >= 0x09 && b <= 0x0d) || b === 0x85 || b === 0xa0;
}

function isNameEnd(b: number): boolean {
  return b === 0x2e || b === 0x5b || b === 0x7d || isSpace(b);
}

const INT64_MAX = 2n ** 63n - 1n;

function parseIndex(s: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const v = BigInt(s);
  if (v > INT64_MAX || v < -INT64_MAX - 1n) return undefined;
  return Number(v);
}

/** Scans `s` for `$$` escapes and `${…}` accesses, byte by byte (§5). Never throws. */
export function scanString(s: string): ScannedString {
  if (!s.includes("$")) return { parts: [{ text: s }], errors: [] };
  const b = encoder.encode(s);
  const n = b.length;
  const parts: InterpolationPart[] = [];
  const errors: InterpolationError[] = [];
  const text: number[] = [];
  const flush = (access?: Accessor[]): void => {
    const t = decoder.decode(Uint8Array.from(text));
    text.length = 0;
    parts.push(access ? { text: t, access } : { text: t });
  };
  const slice = (from: number, to: number): string => decoder.decode(b.subarray(from, to));
  const err = (summary: string, start: number, end: number): void => { errors.push({ summary, start, end }); };

  const parseAccess = (start: number): [Accessor[], number] => {
    const acc: Accessor[] = [];
    let i = start;
    for (;;) {
      if (i >= n) {
        err("missing closing brace '}' in interpolation", n, n);
        if (acc.length === 0) acc.push({ kind: "name", name: "", start: n, end: n });
        return [acc, n];
      }
      const c = b[i] as number;
      if (c === 0x7d) {
        if (acc.length === 0) acc.push({ kind: "name", name: "", start: i, end: i + 1 });
        return [acc, i + 1];
      }
      if (isSpace(c)) {
        err("missing closing brace '}' in interpolation", i, i);
        if (acc.length === 0) acc.push({ kind: "name", name: "", start: i, end: i });
        return [acc, i];
      }
      if (c === 0x5b) { i = parseSubscript(i, acc); continue; }
      const dot = c === 0x2e;
      let j = dot ? i + 1 : i;
      while (j < n && !isNameEnd(b[j] as number)) j++;
      const nameStart = dot ? i + 1 : i;
      if (j === nameStart) err("property name must not be empty", i, i + 1);
      acc.push({ kind: "name", name: slice(nameStart, j), start: i, end: j });
      i = j;
    }
  };

  const parseSubscript = (i: number, acc: Accessor[]): number => {
    const j = i + 1;
    if (j >= n) {
      err("subscript is missing closing bracket ']'", i, n);
      acc.push({ kind: "key", name: "", start: i, end: n });
      return n;
    }
    let k: number;
    let accessor: Accessor;
    if (b[j] === 0x22) {
      const key: number[] = [];
      k = j + 1;
      while (k < n) {
        if (b[k] === 0x5c && b[k + 1] === 0x22) { key.push(0x22); k += 2; continue; }
        if (b[k] === 0x22) break;
        key.push(b[k] as number);
        k++;
      }
      if (k >= n) err("key subscript is missing closing quote '\"'", j, n);
      else {
        if (k === j + 1) err("key subscript must not be empty", j, k + 1);
        k++;
      }
      accessor = { kind: "key", name: decoder.decode(Uint8Array.from(key)), start: i, end: k };
    } else {
      k = j;
      while (k < n && b[k] !== 0x5d && b[k] !== 0x2e && b[k] !== 0x5b && b[k] !== 0x7d && !isSpace(b[k] as number)) k++;
      const raw = slice(j, k);
      const idx = parseIndex(raw);
      if (idx === undefined) {
        err("numeric subscript must be a positive base-10 integer", j, k);
        accessor = { kind: "key", name: raw, start: i, end: k };
      } else {
        if (acc.length === 0) err("the first accessor must be a property name or key subscript, not a numeric subscript", i, k);
        accessor = { kind: "index", index: idx, start: i, end: k };
      }
    }
    if (k < n && b[k] === 0x5d) {
      acc.push({ ...accessor, end: k + 1 });
      return k + 1;
    }
    err("subscript is missing closing bracket ']'", i, k);
    acc.push(accessor);
    return k;
  };

  let i = 0;
  while (i < n) {
    const c = b[i] as number;
    if (c === DOLLAR && i + 1 < n) {
      if (b[i + 1] === DOLLAR) { text.push(DOLLAR); i += 2; continue; }
      if (b[i + 1] === 0x7b) {
        const [acc, next] = parseAccess(i + 2);
        flush(acc);
        i = next;
        continue;
      }
    }
    text.push(c);
    i++;
  }
  if (text.length > 0 || parts.length === 0) flush();
  return { parts, errors };
}

/** Escapes literal text so that {@link scanString} yields it back unchanged (`$` → `$$`). */
export function escapeLiteral(s: string): string {
  return s.replace(/\$/g, "$$$$");
}
