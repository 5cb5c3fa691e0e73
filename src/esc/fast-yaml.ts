import type { RawNode } from "./raw-yaml.js";

/**
 * A fast parser for the common subset of YAML used by environment definitions: block mappings and sequences,
 * single-line flow collections, single-line plain and quoted scalars, literal block scalars, comments.
 * Returns undefined for anything outside the subset (the caller then uses the full `yaml` parser), and null for a
 * document without content. It never reports errors: every doubt is a fallback.
 * @private
 */
export function fastParseYaml(text: string, maxDepth = Infinity): RawNode | null | undefined | typeof TOO_DEEP {
  if (text.includes("\t") || text.includes("\r") || text.charCodeAt(0) === 0xfeff) return undefined;
  try {
    return new FastParser(text, maxDepth).document();
  } catch (e) {
    if (e === BAIL) return undefined;
    if (e === TOO_DEEP) return TOO_DEEP;
    throw e;
  }
}

/** Returned by {@link fastParseYaml} when nesting exceeds the given depth. */
export const TOO_DEEP: unique symbol = Symbol("too deep");
const BAIL = Symbol("bail");
const bail = (): never => { throw BAIL; };

interface Line { start: number; end: number; indent: number; blank: boolean }

const PLAIN_START_BAD = new Set(["&", "*", "!", "|", ">", "'", '"', "%", "@", "`", "#", ",", "[", "]", "{", "}", "?", ":", "-"]);

class FastParser {
  private readonly lines: Line[] = [];
  private i = 0;
  private depth = 0;

  constructor(private readonly s: string, private readonly maxDepth: number) {
    let start = 0;
    for (;;) {
      let end = s.indexOf("\n", start);
      if (end < 0) end = s.length;
      let k = start;
      while (k < end && s.charCodeAt(k) === 32) k++;
      const blank = k === end || s.charCodeAt(k) === 35;
      this.lines.push({ start, end, indent: k - start, blank });
      if (end + 1 >= s.length) break; // no line after a final newline
      start = end + 1;
    }
  }

  document(): RawNode | null {
    this.skipBlank();
    const first = this.lines[this.i];
    if (!first) return null;
    const t0 = this.s.slice(first.start, first.end).trimEnd();
    if (t0.startsWith("%")) bail();
    if (t0 === "---") { this.i++; this.skipBlank(); }
    const line = this.lines[this.i];
    if (!line) return t0 === "---" ? bail() : null;
    if (this.content(line).startsWith("---") || this.content(line).startsWith("...")) bail();
    const node = this.block(line.indent);
    this.skipBlank();
    const rest = this.lines[this.i];
    if (rest) {
      if (!/^(---|\.\.\.) *( #.*)?$/.test(this.s.slice(rest.start, rest.end))) bail();
    }
    return node;
  }

  private skipBlank(): void {
    while (this.i < this.lines.length && (this.lines[this.i] as Line).blank) this.i++;
  }

  private content(l: Line): string {
    return this.s.slice(l.start + l.indent, l.end);
  }

  private isSeqLine(l: Line): boolean {
    const c = this.s.charCodeAt(l.start + l.indent);
    const n = this.s.charCodeAt(l.start + l.indent + 1);
    return c === 45 && (l.start + l.indent + 1 >= l.end || n === 32);
  }

  /** Position just after a mapping key at `at`, or -1 when the line is not `key: …`. */
  private keyEnd(at: number, end: number): number {
    const c = this.s[at];
    if (c === '"' || c === "'") {
      const q = this.quotedEnd(at, end);
      return this.s[q] === ":" && (q + 1 >= end || this.s[q + 1] === " ") ? q : -1;
    }
    if (c === undefined || PLAIN_START_BAD.has(c)) return -1;
    for (let k = at; k < end; k++) {
      const ch = this.s[k];
      if (ch === ":" && (k + 1 >= end || this.s[k + 1] === " ")) return k;
      if (ch === "#" && this.s[k - 1] === " ") return -1;
    }
    return -1;
  }

  private block(indent: number): RawNode {
    if (++this.depth > this.maxDepth) throw TOO_DEEP;
    try {
      return this.blockAt(indent);
    } finally {
      this.depth--;
    }
  }

  private blockAt(indent: number): RawNode {
    const l = this.lines[this.i] as Line;
    if (l.indent !== indent) bail();
    if (this.isSeqLine(l)) return this.seq(indent);
    if (this.keyEnd(l.start + l.indent, l.end) >= 0) return this.map(indent, l.start + l.indent);
    const v = this.inline(l.start + l.indent, l.end, indent);
    this.i++;
    return v;
  }

  private map(indent: number, firstAt: number): RawNode {
    const pairs: Array<[RawNode, RawNode | null]> = [];
    let at = firstAt;
    for (;;) {
      const l = this.lines[this.i] as Line;
      const end = l.end;
      const colon = this.keyEnd(at, end);
      if (colon < 0) bail();
      const key = this.scalarKey(at, colon);
      let k = colon + 1;
      while (k < end && this.s.charCodeAt(k) === 32) k++;
      if (k >= end || this.s[k] === "#") {
        this.i++;
        this.skipBlank();
        const next = this.lines[this.i];
        if (next && next.indent > indent) pairs.push([key, this.block(next.indent)]);
        else if (next && next.indent === indent && this.isSeqLine(next)) pairs.push([key, this.seq(indent)]);
        else {
          if (k < end || colon + 1 < end) bail();
          pairs.push([key, { t: "scalar", style: "plain", value: "", start: colon + 1, end: colon + 1 }]);
        }
      } else {
        pairs.push([key, this.inline(k, end, indent)]);
        this.i++;
      }
      this.skipBlank();
      const next = this.lines[this.i];
      if (!next || next.indent < indent) break;
      if (next.indent > indent || this.isSeqLine(next)) bail();
      at = next.start + next.indent;
    }
    return { t: "map", start: firstAt, pairs };
  }

  private seq(indent: number): RawNode {
    const items: RawNode[] = [];
    const start = (this.lines[this.i] as Line).start + indent;
    for (;;) {
      const l = this.lines[this.i] as Line;
      let k = l.start + l.indent + 1;
      while (k < l.end && this.s.charCodeAt(k) === 32) k++;
      if (k >= l.end || this.s[k] === "#") {
        this.i++;
        this.skipBlank();
        const next = this.lines[this.i];
        if (!next || next.indent <= indent) bail();
        items.push(this.block((next as Line).indent));
      } else if (this.s[k] === "-" && (k + 1 >= l.end || this.s[k + 1] === " ")) {
        bail();
      } else if (this.keyEnd(k, l.end) >= 0) {
        const col = k - l.start;
        items.push(this.map(col, k));
      } else {
        items.push(this.inline(k, l.end, indent));
        this.i++;
      }
      this.skipBlank();
      const next = this.lines[this.i];
      if (!next || next.indent < indent) break;
      if (next.indent > indent) bail();
      if (!this.isSeqLine(next)) break;
    }
    return { t: "seq", start, items };
  }

  /** A value starting at `at` on the current line (which the caller advances past, except for block scalars). */
  private inline(at: number, end: number, indent: number): RawNode {
    const c = this.s[at] as string;
    let node: RawNode;
    let after: number;
    if (c === "[" || c === "{") {
      [node, after] = this.flow(at, end);
    } else if (c === '"' || c === "'") {
      const q = this.quotedEnd(at, end);
      node = { t: "scalar", style: "quoted", value: this.unquote(at, q), start: at, end: q };
      after = q;
    } else if (c === "|") {
      return this.literal(at, end, indent);
    } else {
      if (PLAIN_START_BAD.has(c) && !((c === "-" || c === ":" || c === "?") && this.s[at + 1] !== " " && at + 1 < end)) bail();
      let k = at;
      let stop = end;
      for (; k < end; k++) {
        const ch = this.s[k];
        if (ch === "#" && this.s[k - 1] === " ") { stop = k; break; }
        if (ch === ":" && (k + 1 >= end || this.s[k + 1] === " ")) bail();
      }
      let e = stop;
      while (e > at && this.s.charCodeAt(e - 1) === 32) e--;
      node = { t: "scalar", style: "plain", value: this.s.slice(at, e), start: at, end: e };
      after = e;
    }
    while (after < end && this.s.charCodeAt(after) === 32) after++;
    if (after < end && !(this.s[after] === "#" && this.s[after - 1] === " ")) bail();
    return node;
  }

  private literal(at: number, end: number, indent: number): RawNode {
    let k = at + 1;
    let chomp = "";
    if (this.s[k] === "+") bail(); // keep chomping: trailing-line rules are left to the full parser
    if (this.s[k] === "-") chomp = this.s[k++] as string;
    while (k < end && this.s.charCodeAt(k) === 32) k++;
    if (k < end && !(this.s[k] === "#" && this.s[k - 1] === " ")) bail();
    this.i++;
    const parts: string[] = [];
    let contentIndent = -1;
    let trailing = 0;
    for (; this.i < this.lines.length; this.i++) {
      const l = this.lines[this.i] as Line;
      const isEmpty = l.indent === l.end - l.start;
      if (isEmpty) {
        if (contentIndent < 0 || l.indent > contentIndent) bail();
        trailing++;
        continue;
      }
      if (contentIndent < 0) {
        if (l.indent <= indent) break;
        contentIndent = l.indent;
      }
      if (l.indent < contentIndent) break;
      for (; trailing > 0; trailing--) parts.push("");
      parts.push(this.s.slice(l.start + contentIndent, l.end));
    }
    if (contentIndent < 0) bail();
    this.i--; // the caller advances past the last line read
    let value = parts.join("\n");
    if (chomp === "") value += "\n";
    else if (chomp === "+") value += "\n" + "\n".repeat(trailing);
    return { t: "scalar", style: "block", value, start: at, end: at };
  }

  private ws(k: number, end: number): number {
    while (k < end && this.s.charCodeAt(k) === 32) k++;
    return k;
  }

  private flow(at: number, end: number): [RawNode, number] {
    return this.flowNode(at, end, this.depth + 1);
  }

  private flowNode(k: number, end: number, depth: number): [RawNode, number] {
    if (depth > this.maxDepth) throw TOO_DEEP;
    const c = this.s[k];
    if (c === "[") {
      const items: RawNode[] = [];
      const start = k;
      k = this.ws(k + 1, end);
      if (this.s[k] === "]") return [{ t: "seq", start, items }, k + 1];
      for (;;) {
        const [item, next] = this.flowNode(this.ws(k, end), end, depth + 1);
        items.push(item);
        k = this.ws(next, end);
        if (this.s[k] === ",") { k = this.ws(k + 1, end); if (this.s[k] === "]") bail(); continue; }
        if (this.s[k] === "]") return [{ t: "seq", start, items }, k + 1];
        return bail();
      }
    }
    if (c === "{") {
      const pairs: Array<[RawNode, RawNode | null]> = [];
      const start = k;
      k = this.ws(k + 1, end);
      if (this.s[k] === "}") return [{ t: "map", start, pairs }, k + 1];
      for (;;) {
        const [key, next] = this.flowNode(this.ws(k, end), end, depth + 1);
        if (key.t !== "scalar") return bail();
        if (this.s[next] !== ":") bail();
        k = this.ws(next + 1, end);
        if (key.style === "plain" && k === next + 1) bail();
        if (this.s[k] === "," || this.s[k] === "}") bail();
        const [value, after] = this.flowNode(k, end, depth + 1);
        pairs.push([key, value]);
        k = this.ws(after, end);
        if (this.s[k] === ",") { k = this.ws(k + 1, end); if (this.s[k] === "}") bail(); continue; }
        if (this.s[k] === "}") return [{ t: "map", start, pairs }, k + 1];
        return bail();
      }
    }
    if (c === '"' || c === "'") {
      const q = this.quotedEnd(k, end);
      return [{ t: "scalar", style: "quoted", value: this.unquote(k, q), start: k, end: q }, q];
    }
    if (c === undefined || PLAIN_START_BAD.has(c)) bail();
    let e = k;
    for (; e < end; e++) {
      const ch = this.s[e];
      if (ch === "," || ch === "[" || ch === "]" || ch === "{" || ch === "}") break;
      if (ch === ":" && (e + 1 >= end || " ,[]{}".includes(this.s[e + 1] as string))) break;
      if (ch === "#" && this.s[e - 1] === " ") bail();
    }
    let v = e;
    while (v > k && this.s.charCodeAt(v - 1) === 32) v--;
    if (v === k) bail();
    return [{ t: "scalar", style: "plain", value: this.s.slice(k, v), start: k, end: v }, v];
  }

  private scalarKey(at: number, colon: number): RawNode {
    const c = this.s[at];
    if (c === '"' || c === "'") return { t: "scalar", style: "quoted", value: this.unquote(at, colon), start: at, end: colon };
    let e = colon;
    while (e > at && this.s.charCodeAt(e - 1) === 32) e--;
    return { t: "scalar", style: "plain", value: this.s.slice(at, e), start: at, end: e };
  }

  /** Index just after the closing quote of the quoted scalar at `at` (same line), or bail. */
  private quotedEnd(at: number, end: number): number {
    const q = this.s[at];
    for (let k = at + 1; k < end; k++) {
      const ch = this.s[k];
      if (q === '"' && ch === "\\") { k++; continue; }
      if (ch === q) {
        if (q === "'" && this.s[k + 1] === "'") { k++; continue; }
        return k + 1;
      }
    }
    return bail();
  }

  private unquote(at: number, endQuote: number): string {
    const body = this.s.slice(at + 1, endQuote - 1);
    if (this.s[at] === "'") return body.replace(/''/g, "'");
    if (!body.includes("\\")) return body;
    const simple: Record<string, string> = {
      "0": "\0", a: "\x07", b: "\b", t: "\t", n: "\n", v: "\v", f: "\f", r: "\r", e: "\x1b", " ": " ", '"': '"', "/": "/",
      "\\": "\\", N: "\u0085", _: "\u00a0", L: "\u2028", P: "\u2029",
    };
    let out = "";
    for (let k = 0; k < body.length; k++) {
      const ch = body[k] as string;
      if (ch !== "\\") { out += ch; continue; }
      const e = body[++k] as string;
      if (simple[e] !== undefined) { out += simple[e]; continue; }
      const width = e === "x" ? 2 : e === "u" ? 4 : e === "U" ? 8 : 0;
      const hex = body.slice(k + 1, k + 1 + width);
      if (width === 0 || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width) bail();
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) bail();
      out += String.fromCodePoint(cp);
      k += width;
    }
    return out;
  }
}
