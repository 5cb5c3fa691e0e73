import { describe, expect, test } from "vitest";
import { checkDefinition, evaluateEnvironment, type Json } from "../esc/index.js";
import { BUILTIN_PROVIDERS, createBuiltinProviders, type ProviderCallRecord } from "./builtin-providers.js";
import type { BuiltinProvider } from "./builtin-provider.js";
import { ProviderError } from "./provider-error.js";

const context = { pulumi: { user: { login: "ada" }, organization: { login: "acme" }, token: { type: "personal" } } };

/** Providers under test: each does one thing the wrapper must handle. */
const fake = (name: string, open: BuiltinProvider["open"]): BuiltinProvider => ({ name, description: name, inputSchema: { type: "object" }, outputSchema: true as Json, open });
const hang = fake("hang", (_inputs, call) => new Promise((_, reject) => call.signal.addEventListener("abort", () => reject(new Error("aborted")))));
const fail = fake("fail", async () => {
  throw new ProviderError("AccessDenied", "AssumeRoleWithWebIdentity of arn:x: AccessDenied: not allowed (HTTP 403)");
});
const crash = fake("crash", async (inputs) => {
  throw new TypeError(`boom ${JSON.stringify(inputs)}`);
});
const echo = fake("echo", async (inputs, call) => ({ inputs, facts: call.facts }));

async function open(yaml: string, timeoutMs = 5_000) {
  const calls: ProviderCallRecord[] = [];
  const providers = createBuiltinProviders({ providers: [hang, fail, crash, echo], timeoutMs });
  const result = await evaluateEnvironment(yaml, { name: "app/prod", mode: "open", providers: providers.registry((c) => calls.push(c)), context });
  return { result, calls, messages: result.diagnostics.map((d) => d.summary) };
}

describe("createBuiltinProviders()", () => {
  test("a call that does not answer fails at the time-out with a diagnostic on the fn::open node", async () => {
    const { messages, calls, result } = await open("values:\n  x:\n    fn::open::hang: { secret: { fn::secret: hunter2 } }\n", 50);
    expect(messages).toEqual(["hang: no answer within 50ms (the provider time-out)"]);
    expect(result.diagnostics[0]?.range?.begin.line).toBe(3);
    expect(calls.map(({ durationMs: _, ...c }) => c)).toEqual([{ provider: "hang", path: "acme/app/prod:values.x", outcome: "deadline_exceeded" }]);
  });

  test("an upstream error keeps its code and message; the record carries the code only", async () => {
    const { messages, calls } = await open("values:\n  creds:\n    fn::open::fail: { role: r }\n");
    expect(messages).toEqual(["fail: AssumeRoleWithWebIdentity of arn:x: AccessDenied: not allowed (HTTP 403)"]);
    expect(calls.map((c) => [c.provider, c.path, c.outcome])).toEqual([["fail", "acme/app/prod:values.creds", "AccessDenied"]]);
  });

  test("an unexpected exception never shows its message (it could hold inputs)", async () => {
    const { messages, calls } = await open("values:\n  y:\n    fn::open::crash: { password: { fn::secret: hunter2 } }\n");
    expect(messages).toEqual(["crash: internal error (TypeError)"]);
    expect(JSON.stringify(calls)).not.toContain("hunter2");
    expect(calls[0]?.outcome).toBe("internal");
  });

  test("providers receive plain inputs and the open's facts; records hold no values", async () => {
    const { result, calls } = await open("values:\n  e:\n    fn::open::echo: { a: 1, s: { fn::secret: hunter2 } }\n");
    expect(result.diagnostics).toEqual([]);
    const value = JSON.parse(JSON.stringify(result.environment?.value)) as unknown;
    expect(JSON.stringify(value)).toContain("app/prod");
    expect(calls).toHaveLength(1);
    expect(Object.keys(calls[0] as object).sort()).toEqual(["durationMs", "outcome", "path", "provider"]);
    expect(JSON.stringify(calls)).not.toContain("hunter2");
  });

  test("every built-in provider's schemas compile and are listed sorted by name", async () => {
    const providers = createBuiltinProviders();
    expect(providers.list().map((p) => p.name)).toEqual(["aws-login", "aws-parameter-store", "aws-secrets", "vault-login", "vault-secrets"]);
    expect(BUILTIN_PROVIDERS).toHaveLength(5);
    const yaml = `values:\n${providers.list().map((p) => `  ${p.name.replace("-", "_")}:\n    fn::open::${p.name}: {}\n`).join("")}`;
    const checked = await checkDefinition(yaml, "app/prod", { providers: providers.registry() });
    expect(checked.diagnostics.map((d) => d.summary).filter((m) => m.includes("invalid provider schema"))).toEqual([]);
  });

  test("check mode types provider outputs with their schemas (§6.2): a string output has no members", async () => {
    const providers = createBuiltinProviders();
    const yaml = `values:
  aws:
    fn::open::aws-login:
      static: { accessKeyId: AKIA, secretAccessKey: s }
  ok: \${aws.secretAccessKey}
  bad: \${aws.accessKeyId.length}
  vault:
    fn::open::vault-login: { address: "https://vault", token: { token: t } }
  vbad: \${vault.token[0]}
`;
    const checked = await checkDefinition(yaml, "app/prod", { providers: providers.registry() });
    expect(checked.diagnostics.map((d) => `${d.range?.begin.line}: ${d.summary}`)).toEqual(["6: receiver must be an array or an object", "9: receiver must be an array or an object"]);
  });

  test("the maps of values to read are bounded (100 entries)", async () => {
    const many = Array.from({ length: 101 }, (_, i) => `s${i}: { path: secret/x }`).join(", ");
    const yaml = `values:\n  v:\n    fn::open::vault-secrets:\n      login: { address: "https://vault", token: t }\n      read: { ${many} }\n`;
    const checked = await checkDefinition(yaml, "app/prod", { providers: createBuiltinProviders().registry() });
    expect(checked.diagnostics.map((d) => d.summary)).toEqual(["expected an object with at most 100 properties"]);
  });
});
