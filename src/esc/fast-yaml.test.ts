import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fastParseYaml } from "./fast-yaml.js";
import { DEFAULT_LIMITS } from "./limits.js";
import { parseYaml } from "./parse-yaml.js";

const same = (t: string): void => {
  expect(parseYaml(t, "e", DEFAULT_LIMITS)).toEqual(parseYaml(t, "e", DEFAULT_LIMITS, { full: true }));
};

const CORPUS = [
  "values:\n  a: 1\n  b: [1, 2, {c: d}]\n  c: {x: \"y\", 'z': 'it''s'}\n",
  "imports:\n  - a\n  - b: {merge: false}\n  - c:\n      merge: true\nvalues:\n  x: ${a.b}\n",
  "imports:\n- a\n- b\nvalues: {}\n",
  "---\nvalues:\n  # comment\n  k: v # trailing\n\n  l:\n    - 1\n    -\n      n: 2\n",
  "values:\n  s: |\n    line1\n\n    line2\n  t: |-\n    x\n  v: after\n",
  "values:\n  \"quoted \\\"key\\\"\": \"esc \\u00e9 \\t \\n\"\n  e: ''\n  f: \"\"\n  g: []\n  h: {}\n",
  "values:\n  n:\n  m: ~\n  o: -1\n  p: 017\n  q: .5\n  r: fn::x\n  s: a:b\n  t: x#y\n",
  "values:\n  héllo: wörld\n  日本: [語, \"x\"]\n",
  "values:\n  a: {fn::open::test: {foo: bar}}\n  b: {fn::join: [\",\", [\"${a}\", x]]}\n",
  "- a\n- b\n",
  "just text\n",
  "values:\n  a: 1\n---\nvalues:\n  b: 2\n",
];

describe("fast YAML path", () => {
  it("handles the common subset (no fallback)", () => {
    for (const t of CORPUS.slice(0, 9)) expect(fastParseYaml(t)).not.toBeUndefined();
  });

  it("falls back for constructs outside the subset", () => {
    for (const t of ["a: &x 1\nb: *x\n", "a: !!str 1\n", "a: >\n  x\n", "a:\tb\n", "a: [1,\n  2]\n", "a: x\n  y\n", "? a\n: b\n", "a: \"x\n  y\"\n", "a: {b}\n", "a: [1, ]\n"]) {
      expect(fastParseYaml(t)).toBeUndefined();
    }
  });

  it("produces exactly the tree of the full parser on the corpus and golden files", () => {
    for (const t of CORPUS) same(t);
    const root = fileURLToPath(new URL("./testdata/eval/", import.meta.url));
    for (const d of readdirSync(root)) {
      for (const f of readdirSync(join(root, d))) if (f.endsWith(".yaml")) same(readFileSync(join(root, d, f), "utf8"));
    }
  });

  it("produces exactly the tree of the full parser on generated documents", () => {
    const word = fc.constantFrom("a", "b-c", "fn::x", "${a.b}", "x y", "1", "017", "true", "~", "é", "\"q\"", "'s'", "[1, 2]", "{k: v}", "{}", "[]", "a:b", "#c", "x #c", "", "|", "|-", "- z");
    const line = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom("", "- ", "k: ", "key: ", "- k: "), word).map(([i, p, w]) => "  ".repeat(i) + p + w);
    fc.assert(fc.property(fc.array(line, { maxLength: 12 }), (lines) => { same(lines.join("\n") + "\n"); }), { numRuns: 2000 });
  });

  it("agrees with the full parser on random character soup", () => {
    const piece = fc.constantFrom("a", " ", ": ", ",", "[", "]", "{", "}", '"x\\"y"', "'it''s'", "\n", "\n  ", "k: ", "- ", "\n- ",
      " #c", "${x}", "$", "fn::t", "1.5", "-1", "é", "\\", "?", "!", "&", "*", "|", "|-", "|+", ">", "---", "...", "~", "[]", "{}", "\n  k: ");
    fc.assert(fc.property(fc.array(piece, { maxLength: 25 }), (xs) => { same(xs.join("") + "\n"); }), { numRuns: 3000 });
  });
});

describe("fast YAML path on realistic variants", () => {
  it("matches the full parser", () => {
    const docs = [
      "values:\n  key  : value\n  a:\n    b: 1\n# c\n    c: 2\n  d: 3\n",
      "imports:\n  - name: x\n    other: y\n  - z\nvalues:\n  a: value   \n  b: 'single ''q'''  \n  c: a # comment\n  e: a#b\n",
      "values:\n  ключ: значение\n  k: ${ключ}\n  t: 12:30\n  u: http://x.y/z?q=1\n  v: [a b, c d]\n  w: {a b: c d}\n  x: {\"a\":\"b\"}\n",
      "values:\n  a: |-\n    x\n\n\n  b: |\n    x\n\n    y\n\n  c: \"\\x41\\u00e9\\U0001F600\"\n",
      "values:\n  a: -\n  b: |\n     more\n    less\n  -c: 1\n  ?d: 2\n",
    ];
    for (const t of docs) {
      expect(parseYaml(t, "e", DEFAULT_LIMITS)).toEqual(parseYaml(t, "e", DEFAULT_LIMITS, { full: true }));
    }
  });
});
