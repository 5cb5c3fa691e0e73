import { describe, expect, it } from "vitest";
import { interpolateArgs, redactSecrets, selectPath } from "./run-args.js";
import { quick } from "./testdata/harness.js";

describe("esc run helpers (esc-language.md §18.4–18.5)", () => {
  it("selects by property path", async () => {
    const r = await quick("values:\n  a: {b: [1, {\"c.d\": x}]}\n");
    const v = r.r.environment?.value;
    expect(selectPath(v, 'a.b[1]["c.d"]')?.value).toBe("x");
    expect(selectPath(v, "a.zz")).toBeUndefined();
    expect(selectPath(v, "a[")).toBeUndefined();
  });

  it("interpolates arguments, unescapes $$, leaves malformed arguments alone, collects secrets", async () => {
    const r = await quick("values:\n  s: {fn::secret: hunter2}\n  o: {k: v}\n");
    const v = r.r.environment?.value;
    expect(interpolateArgs(["echo", "${s}", "a$$b", "x=${o}", "${missing}", "${bad", "${o.k}-${s}"], v)).toEqual({
      args: ["echo", "hunter2", "a$b", 'x="k"="v"', "", "${bad", "v-hunter2"],
      secrets: ["hunter2", "hunter2"],
    });
  });

  it("filters secrets of at least 3 bytes from output", () => {
    expect(redactSecrets("token hunter2 and ab", ["hunter2", "ab"])).toBe("token [secret] and ab");
  });
});
