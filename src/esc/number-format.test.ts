import { describe, expect, it } from "vitest";
import { formatGoFloat, resolvePlainScalar } from "./number-format.js";

const num = (t: string): string => {
  const r = resolvePlainScalar(t);
  return r.kind === "number" ? r.value : `<${r.kind}>`;
};

describe("number formatting (esc-language.md §1.2–1.3)", () => {
  it("formats floats like Go strconv.FormatFloat(f, 'g', -1, 64)", () => {
    const cases: Array<[number, string]> = [
      [3, "3"], [1.5, "1.5"], [-0, "-0"], [0.5, "0.5"], [123456, "123456"], [1e6, "1e+06"], [1234567, "1.234567e+06"],
      [0.0001, "0.0001"], [0.00001, "1e-05"], [1e21, "1e+21"], [1e100, "1e+100"], [-2e-3, "-0.002"], [0.1 + 0.2, "0.30000000000000004"],
      [Infinity, "+Inf"], [-Infinity, "-Inf"], [NaN, "NaN"], [5e-324, "5e-324"], [1.7976931348623157e308, "1.7976931348623157e+308"],
    ];
    for (const [f, s] of cases) expect(formatGoFloat(f)).toBe(s);
  });

  it("resolves integer forms exactly (octal leading zeros, separators, prefixes)", () => {
    const cases: Array<[string, string]> = [
      ["017", "15"], ["0x10", "16"], ["+5", "5"], ["-0", "0"], ["1_000", "1000"], ["0b101", "5"], ["0o17", "15"], ["-0x10", "-16"],
      ["18446744073709551615", "18446744073709551615"], ["18446744073709551616", "1.8446744073709552e+19"],
      ["-9223372036854775808", "-9223372036854775808"], ["08", "8"], ["0", "0"],
    ];
    for (const [t, s] of cases) expect(num(t)).toBe(s);
  });

  it("resolves float forms with %g formatting", () => {
    const cases: Array<[string, string]> = [
      ["3.0", "3"], ["1.50", "1.5"], ["-0.0", "-0"], [".5", "0.5"], ["123456.0", "123456"], ["1000000.0", "1e+06"], ["1e6", "1e+06"],
      ["1234567.0", "1.234567e+06"], ["0.0001", "0.0001"], ["0.00001", "1e-05"], ["1e21", "1e+21"], ["-2.0E-3", "-0.002"], ["1e3", "1000"],
      [".inf", "+Inf"], ["-.inf", "-Inf"], ["+.INF", "+Inf"], [".nan", "NaN"], [".NaN", "NaN"],
    ];
    for (const [t, s] of cases) expect(num(t)).toBe(s);
  });

  it("resolves null, booleans and strings like go-yaml v3", () => {
    for (const t of ["", "~", "null", "Null", "NULL"]) expect(resolvePlainScalar(t)).toEqual({ kind: "null" });
    for (const t of ["true", "True", "TRUE"]) expect(resolvePlainScalar(t)).toEqual({ kind: "boolean", value: true });
    for (const t of ["false", "False", "FALSE"]) expect(resolvePlainScalar(t)).toEqual({ kind: "boolean", value: false });
    for (const t of ["1e400", "-1e400", ".5e999", "yes", "no", "on", "off", "2001-12-14", "1.2.3", "0x", "nULL", "tRUE", "1e", "._5", "+"]) {
      expect(resolvePlainScalar(t)).toEqual({ kind: "string", value: t });
    }
  });
});
