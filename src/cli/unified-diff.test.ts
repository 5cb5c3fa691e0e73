import { describe, expect, it } from "vitest";
import { unifiedDiff } from "./unified-diff.js";

const lines = (n: number, change: Record<number, string> = {}) =>
  Array.from({ length: n }, (_, i) => change[i + 1] ?? `line ${i + 1}`).join("\n") + "\n";

describe("unifiedDiff()", () => {
  it("is empty for equal texts", () => {
    expect(unifiedDiff("a\n", "a\n", "x", "y")).toBe("");
    expect(unifiedDiff("a\n", "a", "x", "y")).toBe("");
  });

  it("shows one change with three lines of context", () => {
    expect(unifiedDiff(lines(10), lines(10, { 5: "five" }), "a@1", "a@2")).toBe(
      "--- a@1\n+++ a@2\n@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+five\n line 6\n line 7\n line 8\n",
    );
  });

  it("splits distant changes into hunks and merges close ones", () => {
    const out = unifiedDiff(lines(20), lines(20, { 2: "two", 4: "four", 18: "eighteen" }), "a", "b");
    expect(out.match(/^@@.*@@$/gm)).toEqual(["@@ -1,7 +1,7 @@", "@@ -15,6 +15,6 @@"]);
  });

  it("handles additions to and removals from empty texts", () => {
    expect(unifiedDiff("", "a\nb\n", "a", "b")).toBe("--- a\n+++ b\n@@ -0,0 +1,2 @@\n+a\n+b\n");
    expect(unifiedDiff("a\n", "", "a", "b")).toBe("--- a\n+++ b\n@@ -1 +0,0 @@\n-a\n");
  });

  it("aligns by the longest common subsequence", () => {
    expect(unifiedDiff("a\nb\nc\nd\n", "a\nc\nd\ne\n", "x", "y")).toBe("--- x\n+++ y\n@@ -1,4 +1,4 @@\n a\n-b\n c\n d\n+e\n");
  });
});
