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
  return new Scanner(s).scan();
}

/** One scan: ASCII strings are read as they are, others as UTF-8 bytes (offsets are byte offsets either way). */
class Scanner {
  private readonly b: Uint8Array | undefined;
  private readonly n: number;
  readonly errors: InterpolationError[] = [];

  constructor(private readonly s: string) {
    // eslint-disable-next-line no-control-regex
    this.b = /[^\x00-\x7f]/.test(s) ? encoder.encode(s) : undefined;
    this.n = this.b ? this.b.length : s.length;
  }

  private code(i: number): number {
    return this.b ? (this.b[i] as number) : this.s.charCodeAt(i);
  }

  private slice(from: number, to: number): string {
    return this.b ? decoder.decode(this.b.subarray(from, to)) : this.s.slice(from, to);
  }

  private err(summary: string, start: number, end: number): void {
    this.errors.push({ summary, start, end });
  }

  scan(): ScannedString {
    const n = this.n;
    const parts: InterpolationPart[] = [];
    let text = "";
    let runStart = 0;
    let i = 0;
    while (i < n) {
      if (this.code(i) === DOLLAR && i + 1 < n) {
        const next = this.code(i + 1);
        if (next === DOLLAR) { text += this.slice(runStart, i) + "$"; i += 2; runStart = i; continue; }
        if (next === 0x7b) {
          text += this.slice(runStart, i);
          const acc: Accessor[] = [];
          i = this.access(i + 2, acc);
          parts.push({ text, access: acc });
          text = "";
          runStart = i;
          continue;
        }
      }
      i++;
    }
    text += this.slice(runStart, n);
    if (text.length > 0 || parts.length === 0) parts.push({ text });
    return { parts, errors: this.errors };
  }

  /** Parses accessors from `start` into `acc`; returns where scanning resumes. */
  private access(start: number, acc: Accessor[]): number {
    const n = this.n;
    let i = start;
    for (;;) {
      if (i >= n) {
        this.err("missing closing brace '}' in interpolation", n, n);
        if (acc.length === 0) acc.push({ kind: "name", name: "", start: n, end: n });
        return n;
      }
      const c = this.code(i);
      if (c === 0x7d) {
        if (acc.length === 0) acc.push({ kind: "name", name: "", start: i, end: i + 1 });
        return i + 1;
      }
      if (isSpace(c)) {
        this.err("missing closing brace '}' in interpolation", i, i);
        if (acc.length === 0) acc.push({ kind: "name", name: "", start: i, end: i });
        return i;
      }
      if (c === 0x5b) { i = this.subscript(i, acc); continue; }
      const dot = c === 0x2e;
      let j = dot ? i + 1 : i;
      while (j < n && !isNameEnd(this.code(j))) j++;
      const nameStart = dot ? i + 1 : i;
      if (j === nameStart) this.err("property name must not be empty", i, i + 1);
      acc.push({ kind: "name", name: this.slice(nameStart, j), start: i, end: j });
      i = j;
    }
  }

  private subscript(i: number, acc: Accessor[]): number {
    const n = this.n;
    const j = i + 1;
    if (j >= n) {
      this.err("subscript is missing closing bracket ']'", i, n);
      acc.push({ kind: "key", name: "", start: i, end: n });
      return n;
    }
    let k: number;
    let accessor: Accessor;
    if (this.code(j) === 0x22) {
      let key = "";
      let run = j + 1;
      k = j + 1;
      while (k < n) {
        if (this.code(k) === 0x5c && k + 1 < n && this.code(k + 1) === 0x22) { key += this.slice(run, k) + '"'; k += 2; run = k; continue; }
        if (this.code(k) === 0x22) break;
        k++;
      }
      key += this.slice(run, Math.min(k, n));
      if (k >= n) this.err("key subscript is missing closing quote '\"'", j, n);
      else {
        if (k === j + 1) this.err("key subscript must not be empty", j, k + 1);
        k++;
      }
      accessor = { kind: "key", name: key, start: i, end: k };
    } else {
      k = j;
      while (k < n) {
        const c = this.code(k);
        if (c === 0x5d || c === 0x2e || c === 0x5b || c === 0x7d || isSpace(c)) break;
        k++;
      }
      const raw = this.slice(j, k);
      const idx = parseIndex(raw);
      if (idx === undefined) {
        this.err("numeric subscript must be a positive base-10 integer", j, k);
        accessor = { kind: "key", name: raw, start: i, end: k };
      } else {
        if (acc.length === 0) this.err("the first accessor must be a property name or key subscript, not a numeric subscript", i, k);
        accessor = { kind: "index", index: idx, start: i, end: k };
      }
    }
    if (k < n && this.code(k) === 0x5d) {
      acc.push({ ...accessor, end: k + 1 });
      return k + 1;
    }
    this.err("subscript is missing closing bracket ']'", i, k);
    acc.push(accessor);
    return k;
  }
}

/** Escapes literal text so that {@link scanString} yields it back unchanged (`$` → `$$`). */
export function escapeLiteral(s: string): string {
  return s.replace(/\$/g, "$$$$");
}
