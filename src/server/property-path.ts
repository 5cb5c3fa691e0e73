import { invalidField } from "./errors.js";

/** One step of a property path: an object key or an array index. */
export type PathSegment = string | number;

/**
 * Parses a Pulumi-style property path: `a.b`, `hosts[0]`, `a["b.c"]`, `["x"].y`. The empty string is
 * the root. A malformed path is InvalidArgument on `field`, naming the column.
 */
export function parsePropertyPath(path: string, field = "path"): PathSegment[] {
  const out: PathSegment[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw invalidField(field, `${why} at column ${i + 1}`);
  };
  while (i < path.length) {
    const c = path[i];
    if (c === "[") {
      i++;
      if (path[i] === '"') {
        let key = "";
        i++;
        while (i < path.length && path[i] !== '"') {
          if (path[i] === "\\" && i + 1 < path.length) i++;
          key += path[i];
          i++;
        }
        if (path[i] !== '"') fail("unterminated string");
        i++;
        out.push(key);
      } else {
        const m = /^[0-9]+/.exec(path.slice(i));
        if (m === null) fail("expected an index or a quoted key");
        out.push(Number((m as RegExpExecArray)[0]));
        i += (m as RegExpExecArray)[0].length;
      }
      if (path[i] !== "]") fail("expected ']'");
      i++;
    } else {
      if (c === ".") {
        if (out.length === 0) fail("unexpected '.'");
        i++;
      } else if (out.length > 0) {
        fail("expected '.' or '['");
      }
      const m = /^[^.[\]"]+/.exec(path.slice(i));
      if (m === null) fail("expected a property name");
      out.push((m as RegExpExecArray)[0]);
      i += (m as RegExpExecArray)[0].length;
    }
  }
  return out;
}
