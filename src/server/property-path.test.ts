import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { parsePropertyPath } from "./property-path.js";

describe("parsePropertyPath()", () => {
  it.each([
    ["", []],
    ["a", ["a"]],
    ["db.password", ["db", "password"]],
    ["hosts[0]", ["hosts", 0]],
    ["a[1][2].b", ["a", 1, 2, "b"]],
    ['a["b.c"].d', ["a", "b.c", "d"]],
    ['["x y"]', ["x y"]],
    ['a["q\\"q"]', ["a", 'q"q']],
    ["aws:region", ["aws:region"]],
  ])("%j → %j", (path, segments) => {
    expect(parsePropertyPath(path)).toEqual(segments);
  });

  it.each([
    [".a", "path: unexpected '.' at column 1"],
    ["a.", "path: expected a property name at column 3"],
    ["a[", "path: expected an index or a quoted key at column 3"],
    ["a[1", "path: expected ']' at column 4"],
    ['a["b', "path: unterminated string at column 5"],
    ["a[x]", "path: expected an index or a quoted key at column 3"],
  ])("refuses %j", (path, message) => {
    try {
      parsePropertyPath(path);
      expect.unreachable();
    } catch (e) {
      const ce = ConnectError.from(e);
      expect([ce.code, ce.rawMessage]).toEqual([Code.InvalidArgument, message]);
    }
  });
});
