import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sealEnvelope } from "./ciphertext.js";
import { environmentVariables, files, renderDotenv } from "./projection.js";
import { renderDetailed, renderJson, renderString } from "./render.js";
import { diagLines, quick } from "./testdata/harness.js";

function definition(secret: string): string {
  const ct = sealEnvelope(new TextEncoder().encode(secret).map((b) => (b + 128) & 255));
  const q = JSON.stringify(secret);
  return `values:
  plain: {fn::secret: ${q}}
  cipher: {fn::secret: {ciphertext: ${ct}}}
  json: {fn::secret: ${JSON.stringify(JSON.stringify({ k: secret }))}}
  obj: {fn::fromJSON: "\${json}"}
  item: \${obj.k}
  interp: "pre-\${plain}-post"
  joined: {fn::join: ["/", ["\${cipher}", x]]}
  tojson: {fn::toJSON: {a: "\${plain}"}}
  tostring: {fn::toString: ["\${cipher}"]}
  final: {fn::final: {a: "\${plain}"}}
  open: {fn::open::test: {p: "\${plain}"}}
  environmentVariables: {A: "\${plain}", B: "\${item}"}
  files: {F: "token=\${cipher}"}
`;
}

describe("redacted output never contains a plaintext secret", () => {
  it("for json, detailed, string and dotenv renderings, in open and check modes", async () => {
    await fc.assert(fc.asyncProperty(fc.stringMatching(/^[A-Za-z0-9]{12,20}$/), async (secret) => {
      for (const mode of ["open", "check"] as const) {
        const r = await quick(definition(secret), { mode, showSecrets: true });
        expect(r.diags).toEqual([]);
        const v = r.r.environment?.value;
        const outputs = [
          renderJson(v), renderDetailed(v), renderString(v), r.json,
          renderDotenv({ variables: environmentVariables(v), files: files(v) }), diagLines(r.r.diagnostics, "env").join("\n"),
        ];
        for (const o of outputs) expect(o.includes(secret)).toBe(false);
        expect(r.revealed.includes(secret)).toBe(true);
      }
    }), { numRuns: 10 });
  });
});
