import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { goQuote, goUnquote } from "./go-quote.js";

describe("goQuote (esc-language.md §10.2)", () => {
  it("escapes like Go strconv.Quote", () => {
    const cases: Array<[string, string]> = [
      ["hello", '"hello"'], ['a"b', '"a\\"b"'], ["a\\b", '"a\\\\b"'], ["\x07\b\f\n\r\t\v", '"\\a\\b\\f\\n\\r\\t\\v"'],
      ["\x00\x1f\x7f", '"\\x00\\x1f\\x7f"'], ["é日本", '"é日本"'], ["\u00a0", '"\\u00a0"'], ["\u2028", '"\\u2028"'],
      ["\ufeff", '"\\ufeff"'], ["😀", '"😀"'], ["\u{e0001}", '"\\U000e0001"'], ["a b", '"a b"'], ["", '""'],
    ];
    for (const [s, q] of cases) expect(goQuote(s)).toBe(q);
  });

  it("round-trips through goUnquote for any string", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme" }), (s) => goUnquote(goQuote(s)) === s), { numRuns: 500 });
  });
});
