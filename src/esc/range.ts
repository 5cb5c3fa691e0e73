/** A position in a definition: lines and columns start at 1, bytes at 0 (esc-language.md §1.4). */
export interface Position {
  readonly line: number;
  readonly column: number;
  readonly byte: number;
}

/** A source range inside the definition of one named environment. */
export interface Range {
  readonly environment: string;
  readonly begin: Position;
  readonly end: Position;
}

const ZERO: Position = Object.freeze({ line: 0, column: 0, byte: 0 });

/** An empty range naming an environment (used for context values, §15). */
export function emptyRange(environment: string): Range {
  return { environment, begin: ZERO, end: ZERO };
}

/** Maps UTF-16 offsets of a source text to positions. Lines with non-ASCII text count grapheme cells. */
export interface PositionMapper {
  position(offset: number): Position;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** True when the code point is displayed two cells wide (East Asian wide/fullwidth, emoji). */
function isWide(cp: number): boolean {
  return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) || (cp >= 0x20000 && cp <= 0x3fffd);
}

/** Display cells of a string: grapheme clusters, wide characters counting two (§1.4). */
export function displayWidth(s: string): number {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(s)) return s.length;
  let cells = 0;
  for (const { segment } of segmenter.segment(s)) cells += isWide(segment.codePointAt(0) ?? 0) ? 2 : 1;
  return cells;
}

/** Creates a mapper over `text`; byte offsets are UTF-8 offsets. */
export function createPositionMapper(text: string): PositionMapper {
  const lineStarts: number[] = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  // eslint-disable-next-line no-control-regex
  const ascii = !/[^\x00-\x7f]/.test(text);
  let bytePrefix: Uint32Array | undefined;
  if (!ascii) {
    bytePrefix = new Uint32Array(text.length + 1);
    let b = 0;
    for (let i = 0; i < text.length; i++) {
      bytePrefix[i] = b;
      const c = text.charCodeAt(i);
      if (c < 0x80) b += 1;
      else if (c < 0x800) b += 2;
      else if (c >= 0xd800 && c <= 0xdbff) { b += 4; bytePrefix[++i] = b - 4; }
      else b += 3;
    }
    bytePrefix[text.length] = b;
  }
  let hint = 0;
  return {
    position(offset: number): Position {
      const o = Math.max(0, Math.min(offset, text.length));
      let lo: number;
      if (o >= (lineStarts[hint] as number)) {
        // Nodes are usually visited in document order: scan forward from the last line found.
        lo = hint;
        while (lo + 1 < lineStarts.length && (lineStarts[lo + 1] as number) <= o && lo - hint < 8) lo++;
      } else lo = -1;
      if (lo < 0 || (lo + 1 < lineStarts.length && (lineStarts[lo + 1] as number) <= o)) {
        lo = 0;
        let hi = lineStarts.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if ((lineStarts[mid] as number) <= o) lo = mid; else hi = mid - 1;
        }
      }
      hint = lo;
      const start = lineStarts[lo] as number;
      const byte = bytePrefix ? (bytePrefix[o] as number) : o;
      if (ascii) return { line: lo + 1, column: o - start + 1, byte };
      const prefix = text.slice(start, o);
      // eslint-disable-next-line no-control-regex
      if (!/[^\x00-\x7f]/.test(prefix)) return { line: lo + 1, column: o - start + 1, byte };
      return { line: lo + 1, column: displayWidth(prefix) + 1, byte };
    },
  };
}

/** Advances a position along a single line by `bytes` bytes (used for scalar ends and accessor sub-ranges). */
export function advance(p: Position, bytes: number): Position {
  return { line: p.line, column: p.column + bytes, byte: p.byte + bytes };
}
