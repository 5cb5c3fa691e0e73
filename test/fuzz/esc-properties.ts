/**
 * fast-check properties over the language (src/esc): whatever the input, checking and evaluating
 * return diagnostics and never throw, and a secret's plaintext never appears in a diagnostic.
 * Shared by the bounded CI test (esc-fuzz.test.ts) and the long run (`npm run fuzz`).
 */
import fc from "fast-check";
import { checkDefinition, evaluateEnvironment, type Diagnostic, type EnvironmentLoader } from "../../src/esc/index.js";

/** Small documents stay fast: bounded input sizes bound each run's cost. */
const MAX_TOKENS = 60;

/** Pieces of ESC YAML that, glued at random, reach the parser's and evaluator's odd corners. */
const TOKENS = [
  "values:", "imports:", "- ", "\n", "\n  ", "\n    ", "  ", ": ", ":", "{", "}", "[", "]", ",", "'", '"', "#", "|", ">", "---", "...",
  "&a ", "*a", "&b ", "*b", "<<: *a", "!!str ", "!!binary ", "!!int ", "!tag ", "? ", "%YAML 1.2\n",
  "a", "b", "x.y", "0", "-1", "1e309", "0x1f", "true", "null", "~", "\"\\u0000\"", "\"\\xff\"", "\t", "\r\n", "\u00a0", "\ud800", "😀",
  "${a}", "${b.c}", "${a[0]}", "${a[\"k\"]}", "${", "$${a}", "${context.currentEnvironment.name}", "${imports}", "${a.b.c.d.e}",
  "fn::secret", "fn::join", "fn::toJSON", "fn::fromJSON", "fn::toBase64", "fn::fromBase64", "fn::toString", "fn::split", "fn::concat",
  "fn::select", "fn::open", "fn::open::aws-login", "fn::open::unknown", "fn::rotate::x", "fn::final", "fn::validate", "fn::fromYAML",
  "fn::secret: {ciphertext: ZZZ}", "environmentVariables", "files", "pulumiConfig", "other/env", "proj/env@1", "proj/env@latest", "../x",
] as const;

/** A document glued from TOKENS. */
export const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: MAX_TOKENS }).map((parts) => parts.join(""));

/** Structured documents: random values, builtins and interpolations under `values:`. */
const leaf = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom("${a}", "${b.c}", "${a[0]}", "x${a}y", "${nope}"),
);
const { value: structured } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom("a", "b", "c", "d", "fn::secret", "fn::join", "fn::toJSON", "fn::fromBase64", "fn::open::x", "fn::split", "fn::select"), tie("value"), { maxKeys: 4 }),
  ),
}));
export const structuredDocument = fc.record({ a: structured, b: structured }).map((values) => JSON.stringify({ values }));

/** Raw bytes, most of them not UTF-8. */
export const rawBytes = fc.uint8Array({ maxLength: 512 });

/** Any of the above. */
export const anyDefinition: fc.Arbitrary<string | Uint8Array> = fc.oneof(tokenSoup, structuredDocument, fc.string({ maxLength: 300, unit: "binary" }), rawBytes);

const loader: EnvironmentLoader = {
  async load(name) {
    // An import that imports itself and a value that refers into it: cycles and missing names.
    return { yaml: `imports: ["${name}"]\nvalues: {a: "\${b}", b: [1, {c: 2}]}\n` };
  },
};

function wellFormed(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.every((d) => (d.severity === "error" || d.severity === "warning") && typeof d.summary === "string" && d.summary !== "");
}

/** Check and open-mode evaluation both finish with well-formed diagnostics (a throw fails the property). */
export const neverThrows = fc.asyncProperty(anyDefinition, async (definition) => {
  const checked = await checkDefinition(definition, "fuzz/env", { loader });
  const evaluated = await evaluateEnvironment(definition, { name: "fuzz/env", mode: "open", loader, limits: { maxEvaluationMs: 5_000 } });
  return wellFormed(checked.diagnostics) && wellFormed(evaluated.diagnostics);
});

/** A plaintext secret around which random junk is written never shows up in a diagnostic. */
export const secretsStayOutOfDiagnostics = fc.asyncProperty(tokenSoup, tokenSoup, async (before, after) => {
  const marker = "S3CR3T-fuzz-marker";
  const definition = `values:\n  s:\n    fn::secret: ${marker}\n  t: \${s}${before}\n  u: ${after}\n`;
  const result = await evaluateEnvironment(definition, { name: "fuzz/env", mode: "open", loader });
  return result.diagnostics.every((d) => !JSON.stringify(d).includes(marker));
});
