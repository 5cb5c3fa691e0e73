import { describe, expect, it } from "vitest";
import { formatValuePath, parseValuePath } from "./value-path.js";

describe("parseValuePath()", () => {
  const ok: [string, (string | number)[]][] = [
    ["a", ["a"]],
    ["a.b.c", ["a", "b", "c"]],
    ["a[0]", ["a", 0]],
    ["a.b[0].c", ["a", "b", 0, "c"]],
    ["a[1][2]", ["a", 1, 2]],
    ['a["x.y"]', ["a", "x.y"]],
    ['a["x\\"y"].z', ["a", 'x"y', "z"]],
    ["a['x.y']", ["a", "x.y"]],
    ['["a b"]', ["a b"]],
    ["fn::secret", ["fn::secret"]],
  ];
  it.each(ok)("%s", (text, path) => {
    expect(parseValuePath(text)).toEqual({ value: path });
  });

  const bad: [string, string][] = [
    ["", "invalid path: empty"],
    ["a..b", 'invalid path "a..b" at column 2: empty key'],
    ["a.", 'invalid path "a." at column 2: empty key'],
    ["a[x]", 'invalid path "a[x]" at column 2: "x" is not an index; quote keys as ["x"]'],
    ["a[0", 'invalid path "a[0" at column 2: missing "]"'],
    ['a["x]', 'invalid path "a["x]" at column 2: unterminated quoted key'],
    ["a[0]b", 'invalid path "a[0]b" at column 5: expected "." or "["'],
  ];
  it.each(bad)("refuses %j", (text, error) => {
    expect(parseValuePath(text)).toEqual({ error });
  });
});

describe("formatValuePath()", () => {
  it("round-trips", () => {
    for (const text of ["a.b[0].c", 'a["x.y"]', '["a b"].c']) {
      const parsed = parseValuePath(text);
      expect("value" in parsed && formatValuePath(parsed.value)).toBe(text);
    }
  });
});
