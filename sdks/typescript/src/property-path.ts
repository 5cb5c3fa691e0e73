import { Code } from "@connectrpc/connect";
import { InvalidError } from "./errors.js";
import { Secret } from "./secret.js";
import type { EscValue } from "./value.js";

/** A parsed property path: object keys and list indexes. */
export type PropertyPath = readonly (string | number)[];

/**
 * Parses a property path with the server's grammar: `db.password`, `hosts[0]`, `a["b.c"]`,
 * `["x"].y` (a backslash in a quoted key escapes the next character). `""` is the root.
 * A malformed path throws InvalidError naming the column.
 */
export function parsePropertyPath(text: string): PropertyPath {
  const out: (string | number)[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new InvalidError(`invalid property path "${text}": ${why} at column ${i + 1}`, Code.InvalidArgument);
  };
  while (i < text.length) {
    const c = text[i];
    if (c === "[") {
      i++;
      if (text[i] === '"') {
        let key = "";
        i++;
        while (i < text.length && text[i] !== '"') {
          if (text[i] === "\\" && i + 1 < text.length) i++;
          key += text[i];
          i++;
        }
        if (text[i] !== '"') fail("unterminated string");
        i++;
        out.push(key);
      } else {
        const m = /^[0-9]+/.exec(text.slice(i)) ?? fail("expected an index or a quoted key");
        out.push(Number(m[0]));
        i += m[0].length;
      }
      if (text[i] !== "]") fail("expected ']'");
      i++;
    } else {
      if (c === ".") {
        if (out.length === 0) fail("unexpected '.'");
        i++;
      } else if (out.length > 0) {
        fail("expected '.' or '['");
      }
      const m = /^[^.[\]"]+/.exec(text.slice(i)) ?? fail("expected a property name");
      out.push(m[0]);
      i += m[0].length;
    }
  }
  return out;
}

/**
 * The value at `path` inside `root`, or `undefined` when there is none. Walking through a secret
 * keeps the result secret: `db.password` inside a secret `db` is a Secret.
 */
export function valueAtPath(root: EscValue, path: string | PropertyPath): EscValue | undefined {
  const parts = typeof path === "string" ? parsePropertyPath(path) : path;
  let current: EscValue | undefined = root;
  let secret = false;
  for (const part of parts) {
    if (current instanceof Secret) {
      secret = true;
      current = current.reveal();
    }
    if (typeof part === "number") {
      current = Array.isArray(current) ? current[part] : undefined;
    } else if (current !== null && typeof current === "object" && !Array.isArray(current) && !(current instanceof Secret)) {
      current = Object.hasOwn(current, part) ? current[part] : undefined;
    } else {
      current = undefined;
    }
    if (current === undefined) return undefined;
  }
  return secret && !(current instanceof Secret) ? new Secret(current) : current;
}
