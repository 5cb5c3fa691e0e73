import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import { createSecretFilter, filterPatterns, redactBytes, secretFilterStream } from "./secret-filter.js";

const text = (b: Buffer) => b.toString("utf8");

function feed(secrets: string[], chunks: (string | Buffer)[]): string {
  const filter = createSecretFilter(secrets);
  const out = chunks.map((c) => filter.write(typeof c === "string" ? Buffer.from(c) : c));
  out.push(filter.end());
  return text(Buffer.concat(out));
}

describe("filterPatterns()", () => {
  it.each([
    { secrets: ["hunter2"], patterns: ["hunter2"] },
    { secrets: ["ab", "abc"], patterns: ["abc"] },
    // bytes, not characters: "é" is two bytes
    { secrets: ["éa", "é"], patterns: ["éa"] },
    { secrets: ["token=hunter2\n"], patterns: ["token=hunter2"] },
    { secrets: ["line one\nline two\r\nx\n"], patterns: ["line one", "line two"] },
    { secrets: ["dup", "dup", "longer"], patterns: ["longer", "dup"] },
    { secrets: [""], patterns: [] },
  ])("$secrets → $patterns", ({ secrets, patterns }) => {
    expect(filterPatterns(secrets).map(text)).toEqual(patterns);
  });
});

describe("redactBytes()", () => {
  const p = (...s: string[]) => filterPatterns(s);
  it.each([
    { line: "the password is hunter2\n", secrets: ["hunter2"], out: "the password is [secret]\n" },
    { line: "hunter2hunter2", secrets: ["hunter2"], out: "[secret][secret]" },
    { line: "abcdef", secrets: ["abc", "abcdef"], out: "[secret]" },
    { line: "xabcdefx", secrets: ["bcd", "abcdef"], out: "x[secret]x" },
    { line: "ab ab", secrets: ["ab"], out: "ab ab" },
    { line: "nothing here", secrets: [], out: "nothing here" },
  ])("$line with $secrets", ({ line, secrets, out }) => {
    expect(text(redactBytes(Buffer.from(line), p(...secrets)))).toBe(out);
  });
});

describe("createSecretFilter()", () => {
  it("replaces a secret split across chunks", () => {
    expect(feed(["hunter2"], ["pass: hun", "te", "r2 ok\nnext hunt", "er2\n"])).toBe("pass: [secret] ok\nnext [secret]\n");
  });

  it("holds a partial line until its newline, and flushes the last line at the end", () => {
    const filter = createSecretFilter(["hunter2"]);
    expect(text(filter.write(Buffer.from("a hunt")))).toBe("");
    expect(text(filter.write(Buffer.from("er2\nb hun")))).toBe("a [secret]\n");
    expect(text(filter.end())).toBe("b hun");
  });

  it("keeps each line's newline when a file's secret content ends with one", () => {
    expect(feed(["token=hunter2\n"], ["token=hunter2\n/tmp/esc-1\n"])).toBe("[secret]\n/tmp/esc-1\n");
  });

  it("matches a multi-line secret line by line", () => {
    expect(feed(["-----BEGIN KEY-----\nAAAABBBB\n-----END KEY-----\n"], ["-----BEGIN KEY-----\nAAAA", "BBBB\n-----END KEY-----\n"])).toBe(
      "[secret]\n[secret]\n[secret]\n",
    );
  });

  it("matches bytes across a split UTF-8 character", () => {
    const all = Buffer.from("mot de passe: ça-va\n");
    const cut = all.indexOf(Buffer.from("ç")) + 1;
    expect(feed(["ça-va"], [all.subarray(0, cut), all.subarray(cut)])).toBe("mot de passe: [secret]\n");
  });

  it("passes a very long line on early without cutting a secret in two", () => {
    const filter = createSecretFilter(["hunter2"]);
    const long = "x".repeat(70_000);
    const first = text(filter.write(Buffer.from(`${long}hunt`)));
    const rest = text(filter.write(Buffer.from("er2 end\n"))) + text(filter.end());
    expect(first.length).toBeGreaterThan(60_000);
    expect(first + rest).toBe(`${long}[secret] end\n`);
  });

  it("is a pass-through without secrets", () => {
    expect(feed([], ["a", "b\nc"])).toBe("ab\nc");
  });
});

describe("secretFilterStream()", () => {
  it("filters a stream chunk by chunk", async () => {
    let out = "";
    const sink = new Writable({
      write(chunk: Buffer, _e, cb) {
        out += chunk.toString();
        cb();
      },
    });
    await pipeline(Readable.from([Buffer.from("s3cr"), Buffer.from("et!\nno newline s3cret!")]), secretFilterStream(["s3cret!"]), sink);
    expect(out).toBe("[secret]\nno newline [secret]");
  });
});
