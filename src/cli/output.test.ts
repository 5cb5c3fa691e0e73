import { describe, expect, it } from "vitest";
import { allPages, formatTable, formatTime } from "./output.js";

describe("formatTable()", () => {
  it("pads every column but the last to its widest cell", () => {
    expect(formatTable(["NAME", "REVISION"], [["stable", "2"], ["a", "10"]])).toBe("NAME    REVISION\nstable  2\na       10\n");
  });

  it("trims trailing blanks of empty last cells", () => {
    expect(formatTable(["A", "B"], [["x", ""]])).toBe("A  B\nx\n");
  });
});

describe("formatTime()", () => {
  it("prints UTC seconds, or nothing when unset", () => {
    expect(formatTime({ seconds: 1795439280n, nanos: 5e8 } as never)).toBe("2026-11-23T13:08:00Z");
    expect(formatTime(undefined)).toBe("");
  });
});

describe("allPages()", () => {
  it("follows page tokens to the end", async () => {
    const pages: Record<string, { items: number[]; next: string }> = { "": { items: [1, 2], next: "b" }, b: { items: [3], next: "c" }, c: { items: [], next: "" } };
    expect(await allPages(async (token) => pages[token] as { items: number[]; next: string })).toEqual([1, 2, 3]);
  });

  it("stops when a server repeats its token", async () => {
    expect(await allPages(async () => ({ items: [1], next: "same" }))).toEqual([1, 1]);
  });
});
