const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

/**
 * Go `strconv.Quote` (esc-language.md §10.2): double-quotes `s`, escaping per code point. Printable characters
 * are kept, the C escapes are used for BEL/BS/FF/LF/CR/TAB/VT, other controls become `\xHH`, other
 * non-printables `\uHHHH` or `\UHHHHHHHH` (lower-case hex).
 */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (cp === 0x22) out += '\\"';
    else if (cp === 0x5c) out += "\\\\";
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (cp < 0x80) {
      switch (cp) {
        case 7: out += "\\a"; break;
        case 8: out += "\\b"; break;
        case 12: out += "\\f"; break;
        case 10: out += "\\n"; break;
        case 13: out += "\\r"; break;
        case 9: out += "\\t"; break;
        case 11: out += "\\v"; break;
        default: out += "\\x" + hex(cp, 2);
      }
    } else if (cp >= 0xd800 && cp <= 0xdfff) out += "\\x" + hex(0xfd, 2); // lone surrogate: not valid UTF-8
    else if (PRINTABLE.test(ch)) out += ch;
    else if (cp < 0x10000) out += "\\u" + hex(cp, 4);
    else out += "\\U" + hex(cp, 8);
  }
  return out + '"';
}

/** Inverse of {@link goQuote} for the escapes it produces; returns undefined for malformed input. */
export function goUnquote(q: string): string | undefined {
  if (q.length < 2 || q[0] !== '"' || q[q.length - 1] !== '"') return undefined;
  let out = "";
  for (let i = 1; i < q.length - 1; i++) {
    const c = q[i] as string;
    if (c !== "\\") { out += c; continue; }
    const e = q[++i];
    const simple: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", '"': '"', "\\": "\\" };
    if (e !== undefined && simple[e] !== undefined) { out += simple[e]; continue; }
    const width = e === "x" ? 2 : e === "u" ? 4 : e === "U" ? 8 : 0;
    if (width === 0) return undefined;
    const h = q.slice(i + 1, i + 1 + width);
    if (!/^[0-9a-fA-F]+$/.test(h) || h.length !== width) return undefined;
    out += String.fromCodePoint(parseInt(h, 16));
    i += width;
  }
  return out;
}
