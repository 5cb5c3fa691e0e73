/** A path into `values`: keys and sequence indexes, as in `db.hosts[0].name` or `a["x.y"]`. */
export type ValuePath = readonly (string | number)[];

/**
 * Parses `a.b[0].c` and `a["x.y"]` (double-quoted keys take JSON escapes; single-quoted keys are
 * literal). Returns `{error}` with the offending column on bad syntax.
 */
export function parseValuePath(text: string): { value: ValuePath } | { error: string } {
  const path: (string | number)[] = [];
  let i = 0;
  const fail = (why: string) => ({ error: `invalid path "${text}" at column ${i + 1}: ${why}` });
  if (text === "") return { error: "invalid path: empty" };
  while (i < text.length) {
    const ch = text[i];
    if (ch === "[") {
      const close = text.indexOf("]", i);
      const quote = text[i + 1];
      if (quote === '"' || quote === "'") {
        const end = findQuoteEnd(text, i + 2, quote);
        if (end < 0 || text[end + 1] !== "]") return fail("unterminated quoted key");
        const raw = text.slice(i + 1, end + 1);
        let key: string;
        try {
          key = quote === '"' ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        } catch {
          return fail("invalid escape in quoted key");
        }
        path.push(key);
        i = end + 2;
      } else {
        if (close < 0) return fail('missing "]"');
        const index = text.slice(i + 1, close);
        if (!/^(0|[1-9][0-9]{0,8})$/.test(index)) return fail(`"${index}" is not an index; quote keys as ["${index}"]`);
        path.push(Number(index));
        i = close + 1;
      }
    } else if (ch === ".") {
      if (path.length === 0 || i + 1 >= text.length || text[i + 1] === "." || text[i + 1] === "[") return fail("empty key");
      i++;
      i = readKey(text, i, path);
    } else {
      if (path.length > 0) return fail('expected "." or "["');
      i = readKey(text, i, path);
    }
  }
  return { value: path };
}

function readKey(text: string, start: number, path: (string | number)[]): number {
  let end = start;
  while (end < text.length && text[end] !== "." && text[end] !== "[") end++;
  path.push(text.slice(start, end));
  return end;
}

function findQuoteEnd(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i++) {
    if (quote === '"' && text[i] === "\\") i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

/** Prints a path back in the syntax parseValuePath reads. */
export function formatValuePath(path: ValuePath): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (/^[^.[\]"'\s]+$/.test(part)) out += out === "" ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}
