import { jsonNumber } from "./json-text.js";
import { goQuote } from "./go-quote.js";
import type { Json } from "./json-text.js";

class JsonError extends Error {}

function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return "'\"'";
  const q = goQuote(c);
  return "'" + q.slice(1, -1) + "'";
}

/**
 * Decodes the first JSON value of `text` like Go's `json.Decoder` with `UseNumber` (esc-language.md §9.8): leading
 * whitespace allowed, trailing text ignored, numbers kept as text, last duplicate key wins. Errors use Go's wording.
 */
export function decodeFirstJson(text: string, maxDepth = 10000): { value: Json } | { error: string } {
  let i = 0;
  const n = text.length;
  const ws = (): void => { while (i < n && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++; };
  const fail = (what: string): never => {
    if (i >= n) throw new JsonError("unexpected EOF");
    throw new JsonError(`invalid character ${quoteChar(String.fromCodePoint(text.codePointAt(i) as number))} ${what}`);
  };
  const value = (depth: number): Json => {
    if (depth > maxDepth) throw new JsonError("exceeded max depth");
    ws();
    const c = text[i];
    if (c === "{") return object(depth);
    if (c === "[") return array(depth);
    if (c === '"') return string();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return number();
    if (c === "t") return literal("true", true);
    if (c === "f") return literal("false", false);
    if (c === "n") return literal("null", null);
    return fail("looking for beginning of value");
  };
  const literal = (word: string, v: Json): Json => {
    for (let k = 0; k < word.length; k++, i++) {
      if (text[i] !== word[k]) fail(`in literal ${word} (expecting ${quoteChar(word[k] as string)})`);
    }
    return v;
  };
  const digits = (): number => { const s = i; while (i < n && text[i]! >= "0" && text[i]! <= "9") i++; return i - s; };
  const number = (): Json => {
    const s = i;
    if (text[i] === "-") { i++; if (!(text[i]! >= "0" && text[i]! <= "9")) fail("in numeric literal"); }
    if (text[i] === "0") i++; else digits();
    if (text[i] === ".") { i++; if (digits() === 0) fail("after decimal point in numeric literal"); }
    if (text[i] === "e" || text[i] === "E") {
      i++;
      if (text[i] === "+" || text[i] === "-") i++;
      if (digits() === 0) fail("in exponent of numeric literal");
    }
    return jsonNumber(text.slice(s, i));
  };
  const string = (): string => {
    i++;
    let out = "";
    for (;;) {
      if (i >= n) throw new JsonError("unexpected EOF");
      const c = text[i] as string;
      if (c === '"') { i++; return out; }
      if (c.charCodeAt(0) < 0x20) fail("in string literal");
      if (c !== "\\") { out += c; i++; continue; }
      i++;
      const e = text[i];
      const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
      if (e !== undefined && simple[e] !== undefined) { out += simple[e]; i++; continue; }
      if (e !== "u") fail("in string escape code");
      i++;
      let code = 0;
      for (let k = 0; k < 4; k++, i++) {
        const h = text[i];
        if (h === undefined || !/[0-9a-fA-F]/.test(h)) fail("in \\u hexadecimal character escape");
        code = code * 16 + parseInt(h as string, 16);
      }
      out += String.fromCharCode(code);
    }
  };
  const object = (depth: number): Json => {
    i++;
    const o: Record<string, Json> = Object.create(null) as Record<string, Json>;
    ws();
    if (text[i] === "}") { i++; return o; }
    for (;;) {
      ws();
      if (text[i] !== '"') fail("looking for beginning of object key string");
      const k = string();
      ws();
      if (text[i] !== ":") fail("after object key");
      i++;
      o[k] = value(depth + 1);
      ws();
      if (text[i] === ",") { i++; continue; }
      if (text[i] === "}") { i++; return o; }
      fail("after object key:value pair");
    }
  };
  const array = (depth: number): Json => {
    i++;
    const a: Json[] = [];
    ws();
    if (text[i] === "]") { i++; return a; }
    for (;;) {
      a.push(value(depth + 1));
      ws();
      if (text[i] === ",") { i++; continue; }
      if (text[i] === "]") { i++; return a; }
      fail("after array element");
    }
  };
  try {
    ws();
    if (i >= n) return { error: "EOF" };
    return { value: value(0) };
  } catch (e) {
    if (e instanceof JsonError) return { error: e.message };
    if (e instanceof RangeError) return { error: "exceeded max depth" };
    throw e;
  }
}
