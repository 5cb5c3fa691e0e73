import { describe, expect, test } from "vitest";
import { evaluateEnvironment, openEnvelope } from "../esc/index.js";
import type { EnvironmentKey } from "../store/index.js";
import { encryptDefinition, formatScalar, reencryptDefinition, revealDefinition, type PayloadCipher } from "./definition-rewrite.js";
import { DefinitionRewriteError } from "./crypto-errors.js";

const A: EnvironmentKey = { org: "o", project: "p", name: "a" };
const B: EnvironmentKey = { org: "o", project: "p", name: "b" };

// A transparent cipher bound to the environment name, so the tests can read what was sealed.
const cipher: PayloadCipher = {
  async encrypt(env, plaintext) {
    return new TextEncoder().encode(`sealed-for:${env.name}|${new TextDecoder().decode(plaintext)}`);
  },
  async decrypt(env, payload) {
    const text = new TextDecoder().decode(payload);
    if (!text.startsWith(`sealed-for:${env.name}|`)) throw new Error("ciphertext belongs to another environment");
    return new TextEncoder().encode(text.slice(`sealed-for:${env.name}|`.length));
  },
};

function sealedValues(text: string): string[] {
  return [...text.matchAll(/ciphertext: ([A-Za-z0-9+/=]+)/g)].map((m) => {
    const opened = openEnvelope(m[1] as string);
    if ("error" in opened) throw new Error(opened.error);
    return new TextDecoder().decode(opened.payload).replace(/^sealed-for:/, "");
  });
}

describe("encryptDefinition()", () => {
  const cases: { name: string; input: string; sealed: string[]; check?: (out: string) => void }[] = [
    {
      name: "block mapping, comments kept",
      input: "# head\nvalues:\n  # above\n  password:\n    fn::secret: hunter2 # trailing\n  plain: x\n",
      sealed: ["a|hunter2"],
      check: (out) => {
        expect(out).toMatch(/^# head\nvalues:\n {2}# above\n {2}password:\n {4}fn::secret: \{ciphertext: [A-Za-z0-9+/=]+\} # trailing\n {2}plain: x\n$/);
      },
    },
    {
      name: "flow mapping",
      input: "values:\n  password: {fn::secret: hunter2}\n",
      sealed: ["a|hunter2"],
      check: (out) => expect(out).toMatch(/^values:\n {2}password: \{fn::secret: \{ciphertext: [^}]+\}\}\n$/),
    },
    {
      name: "nested and in arrays",
      input: "values:\n  a:\n    b:\n      - fn::secret: one\n      - {fn::secret: two}\n      - three\n",
      sealed: ["a|one", "a|two"],
    },
    { name: "outside values too", input: "imports: []\nother:\n  fn::secret: x\n", sealed: ["a|x"] },
    { name: "interpolation text sealed raw", input: "values:\n  s: {fn::secret: '${x} and $${y}'}\n", sealed: ["a|${x} and $${y}"] },
    { name: "double-quoted escapes are YAML's", input: 'values:\n  s: {fn::secret: "a\\tb"}\n', sealed: ["a|a\tb"] },
    { name: "block scalar", input: "values:\n  k:\n    fn::secret: |\n      line1\n      line2\n  after: 1\n", sealed: ["a|line1\nline2\n"], check: (out) => expect(out).toMatch(/\}\n {2}after: 1\n$/) },
    { name: "!!str tag dropped, anchor kept", input: "values:\n  a: {fn::secret: !!str 42}\n  b: {fn::secret: &s x}\n", sealed: ["a|42", "a|x"], check: (out) => expect(out).toContain("fn::secret: &s {ciphertext:") },
    { name: "a float that overflows is a string for ESC", input: "values:\n  big: {fn::secret: 1e999}\n", sealed: ["a|1e999"] },
    {
      name: "non-string arguments untouched",
      input: "values:\n  n: {fn::secret: 42}\n  i: {fn::secret: .inf}\n  l: {fn::secret: [a]}\n  m: {fn::secret: {other: x}}\n  r: {fn::secret: null}\n  two: {fn::secret: x, other: y}\n",
      sealed: [],
    },
    { name: "existing ciphertext untouched", input: "values:\n  c: {fn::secret: {ciphertext: ZXNjeAAAAAHo9e705fKyKo30VQ==}}\n", sealed: [] },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const out = await encryptDefinition(cipher, c.input, A);
      if (c.sealed.length === 0) {
        expect(out).toBe(c.input);
        return;
      }
      expect(sealedValues(out)).toEqual(c.sealed);
      c.check?.(out);
      // the result is still valid YAML and revealing it gives the plaintext back (under values)
      if (c.input.startsWith("values:")) expect(await revealDefinition(cipher, out, A)).not.toContain("ciphertext");
    });
  }

  test("empty and comment-only definitions pass through", async () => {
    for (const text of ["", "# nothing\n", "values: {}\n"]) expect(await encryptDefinition(cipher, text, A)).toBe(text);
  });

  test("invalid YAML is refused without quoting the source", async () => {
    const err = await encryptDefinition(cipher, "values:\n  a: {fn::secret: hunter2\n", A).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DefinitionRewriteError);
    expect((err as Error).message).toMatch(/^definition is not valid YAML \(line \d+, column \d+\): [A-Z_]+$/);
    expect((err as Error).message).not.toContain("hunter2");
  });
});

describe("encryptDefinition() agrees with the evaluator", () => {
  // Whatever ESC accepts as a plaintext secret must be sealed, or it would stay in the clear at rest.
  const scalars = [
    "hunter2", "42", "1_000", "0x1F", "0o17", "0b101", "+12", "-0", "1e3", "1e999", "-1e999", ".5", ".inf", "-.Inf", ".nan",
    "true", "True", "yes", "no", "on", "null", "Null", "~", "2026-01-01", "12:30", "'42'", '"true"', "!!str 7", "$${x}", "${x}", "a: b", "{x}",
  ];
  for (const scalar of scalars) {
    test(scalar, async () => {
      const text = `values:\n  x:\n    fn::secret: ${scalar}\n`;
      const accepted = (await evaluateEnvironment(text)).diagnostics.length === 0;
      if (accepted) expect(await encryptDefinition(cipher, text, A)).not.toBe(text);
    });
  }
});

describe("revealDefinition()", () => {
  test("round trip keeps everything else byte for byte", async () => {
    const input = "# c\nvalues:\n  a: {fn::secret: hunter2}   # x\n  b:\n    fn::secret: 'it''s'\n  n: 42\n";
    const revealed = await revealDefinition(cipher, await encryptDefinition(cipher, input, A), A);
    expect(revealed).toBe("# c\nvalues:\n  a: {fn::secret: hunter2}   # x\n  b:\n    fn::secret: \"it's\"\n  n: 42\n");
  });

  test("ciphertext outside values is left alone", async () => {
    const sealed = await encryptDefinition(cipher, "values:\n  a: {fn::secret: in}\nother:\n  b: {fn::secret: out}\n", A);
    const revealed = await revealDefinition(cipher, sealed, A);
    expect(revealed).toMatch(/^values:\n {2}a: \{fn::secret: in\}\nother:\n {2}b: \{fn::secret: \{ciphertext: [^}]+\}\}\n$/);
  });

  test("one undecryptable ciphertext fails the whole reveal, naming the path only", async () => {
    const sealed = await encryptDefinition(cipher, "values:\n  ok: {fn::secret: fine}\n  db:\n    pw: {fn::secret: hunter2}\n", B);
    const err = await revealDefinition(cipher, sealed, A).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DefinitionRewriteError);
    expect((err as Error).message).toBe('cannot reveal the secret at values.ok of "o/p/a": ciphertext belongs to another environment');
    const bad = await revealDefinition(cipher, "values:\n  x: {fn::secret: {ciphertext: bm90IGFuIGVudmVsb3BlIGF0IGFsbA==}}\n", A).catch((e: unknown) => e);
    expect((bad as Error).message).toBe('cannot reveal the secret at values.x of "o/p/a": invalid ciphertext: invalid header');
  });

  test("plaintext that is not a plain YAML string is quoted", () => {
    expect(formatScalar("hunter2", false)).toBe("hunter2");
    expect(formatScalar("42", false)).toBe('"42"');
    expect(formatScalar("true", false)).toBe('"true"');
    expect(formatScalar("a,b", true)).toBe('"a,b"');
    expect(formatScalar("a,b", false)).toBe('"a,b"');
    expect(formatScalar("x: y", false)).toBe('"x: y"');
    expect(formatScalar("line\nbreak", false)).toBe('"line\\nbreak"');
    expect(formatScalar("", false)).toBe('""');
    expect(formatScalar("${x}", false)).toBe('"${x}"');
  });
});

describe("reencryptDefinition()", () => {
  test("seals again for the destination; unreadable ciphertext is copied as is", async () => {
    const sealed = await encryptDefinition(cipher, "values:\n  a: {fn::secret: s1}\nx:\n  fn::secret: s2\n", A);
    const foreign = "f: {fn::secret: {ciphertext: ZXNjeAAAAAHo9e705fKyKo30VQ==}}\n";
    const out = await reencryptDefinition(cipher, sealed + foreign, A, B);
    expect(sealedValues(out).filter((s) => s.includes("|"))).toEqual(["b|s1", "b|s2"]);
    expect(out.endsWith(foreign)).toBe(true);
  });
});
