const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DECODE = new Int16Array(256).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;
const PAD = 0x3d;
const isNl = (c: number | undefined): boolean => c === 0x0a || c === 0x0d;

/** Standard padded base64 of bytes. */
export function encodeBase64(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] as number;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const v = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += ALPHABET[(v >> 18) & 63]! + ALPHABET[(v >> 12) & 63]!;
    out += b === undefined ? "=" : ALPHABET[(v >> 6) & 63]!;
    out += c === undefined ? "=" : ALPHABET[v & 63]!;
  }
  return out;
}

/**
 * Go `base64.StdEncoding.DecodeString` (esc-language.md §9.10): CR/LF skipped, mandatory padding, lenient about
 * unused low bits. Errors carry Go's text `illegal base64 data at input byte N`.
 */
export function decodeBase64(src: Uint8Array): { bytes: Uint8Array } | { error: string } {
  const out: number[] = [];
  let si = 0;
  const corrupt = (n: number): { error: string } => ({ error: `illegal base64 data at input byte ${n}` });
  while (si < src.length) {
    const dbuf = [0, 0, 0, 0];
    let dlen = 4;
    let trailing: number | undefined;
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return { bytes: Uint8Array.from(out) };
        return corrupt(si - j);
      }
      const c = src[si] as number;
      si++;
      const d = DECODE[c] as number;
      if (d >= 0) { dbuf[j] = d; continue; }
      if (isNl(c)) { j--; continue; }
      if (c !== PAD) return corrupt(si - 1);
      if (j === 0 || j === 1) return corrupt(si - 1);
      if (j === 2) {
        while (si < src.length && isNl(src[si])) si++;
        if (si === src.length) return corrupt(src.length);
        if (src[si] !== PAD) return corrupt(si - 1);
        si++;
      }
      while (si < src.length && isNl(src[si])) si++;
      if (si < src.length) trailing = si;
      dlen = j;
      break;
    }
    const val = ((dbuf[0] as number) << 18) | ((dbuf[1] as number) << 12) | ((dbuf[2] as number) << 6) | (dbuf[3] as number);
    const bytes = [(val >> 16) & 255, (val >> 8) & 255, val & 255];
    for (let k = 0; k < dlen - 1; k++) out.push(bytes[k] as number);
    if (trailing !== undefined) return corrupt(trailing);
  }
  return { bytes: Uint8Array.from(out) };
}
