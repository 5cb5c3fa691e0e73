import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeLiteral, scanString } from "./interpolation.js";

const names = (s: string): unknown => scanString(s).parts.map((p) => [p.text, p.access?.map((a) => (a.kind === "index" ? a.index : `${a.kind}:${a.name}`))]);
const errors = (s: string): unknown => scanString(s).errors.map((e) => [e.summary, e.start, e.end]);

describe("interpolation grammar (esc-language.md §5)", () => {
  it("unescapes $$ and keeps a lone $", () => {
    expect(names("costs $$5")).toEqual([["costs $5", undefined]]);
    expect(names("$${name}")).toEqual([["${name}", undefined]]);
    expect(names("$$$")).toEqual([["$$", undefined]]);
    expect(names("a $ b")).toEqual([["a $ b", undefined]]);
  });

  it("parses valid accesses", () => {
    expect(names("${a.b.c}")).toEqual([["", ["name:a", "name:b", "name:c"]]]);
    expect(names('${a["key with \\"quotes\\""]}')).toEqual([["", ["name:a", 'key:key with "quotes"']]]);
    expect(names('${a["x.y"]}')).toEqual([["", ["name:a", "key:x.y"]]]);
    expect(names("${a[0][1].b}")).toEqual([["", ["name:a", 0, 1, "name:b"]]]);
    expect(names('${["34"]}')).toEqual([["", ["key:34"]]]);
    expect(names('${a.u["\\"baz"]}')).toEqual([["", ["name:a", "name:u", 'key:"baz']]]);
    expect(names("${imports.proj/base.x}")).toEqual([["", ["name:imports", "name:proj/base", "name:x"]]]);
    expect(names("${.a}")).toEqual([["", ["name:a"]]]);
    expect(names("${a[0]b}")).toEqual([["", ["name:a", 0, "name:b"]]]);
    expect(names("${a[-1]}")).toEqual([["", ["name:a", -1]]]);
    expect(names("x ${a} y ${b}")).toEqual([["x ", ["name:a"]], [" y ", ["name:b"]]]);
    expect(names("${a:b-c\"]}")).toEqual([["", ['name:a:b-c"]']]]);
  });

  it("ends names at 0xA0 inside multi-byte characters (quirk 6)", () => {
    expect(scanString("${à}").errors.map((e) => e.summary)).toEqual(["missing closing brace '}' in interpolation"]);
  });

  it("reports the errors of the §5.2 table with byte ranges", () => {
    expect(errors("${a")).toEqual([["missing closing brace '}' in interpolation", 3, 3]]);
    expect(errors("${a b}")).toEqual([["missing closing brace '}' in interpolation", 3, 3]]);
    expect(errors("${foo.}")).toEqual([["property name must not be empty", 5, 6]]);
    expect(errors("${a[")).toEqual([["subscript is missing closing bracket ']'", 3, 4], ["missing closing brace '}' in interpolation", 4, 4]]);
    expect(errors('${open["foo]}')).toEqual([
      ["key subscript is missing closing quote '\"'", 7, 13], ["subscript is missing closing bracket ']'", 6, 13], ["missing closing brace '}' in interpolation", 13, 13],
    ]);
    expect(errors('${open["foo"}')).toEqual([["subscript is missing closing bracket ']'", 6, 12]]);
    expect(errors('${a[""]}')).toEqual([["key subscript must not be empty", 4, 6]]);
    expect(errors("${a[b]}")).toEqual([["numeric subscript must be a positive base-10 integer", 4, 5]]);
    expect(errors("${a[99999999999999999999]}")).toEqual([["numeric subscript must be a positive base-10 integer", 4, 24]]);
    expect(errors("${[2]}")).toEqual([["the first accessor must be a property name or key subscript, not a numeric subscript", 2, 4]]);
    expect(errors("${a[1}")).toEqual([["subscript is missing closing bracket ']'", 3, 5]]);
  });

  it("resumes scanning at whitespace after an unterminated access", () => {
    expect(names("${a b ${c}")).toEqual([["", ["name:a"]], [" b ", ["name:c"]]]);
  });

  it("yields an empty-name accessor for ${} and a bare ${", () => {
    expect(names("${}")).toEqual([["", ["name:"]]]);
    expect(names("${")).toEqual([["", ["name:"]]]);
  });

  it("escapeLiteral round-trips through scanning", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme" }), (s) => {
      const r = scanString(escapeLiteral(s));
      return r.errors.length === 0 && r.parts.length === 1 && r.parts[0]?.text === s && r.parts[0].access === undefined;
    }), { numRuns: 500 });
  });
});
