import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiagnosticsSchema } from "../../src/gen/openesc/v1/diagnostic_pb.js";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { IdentityService } from "../../src/gen/openesc/v1/identity_pb.js";
import { OpenService } from "../../src/gen/openesc/v1/open_pb.js";
import { clientFor, PROTOCOLS } from "../support/clients.js";
import { startTestServer, type TestServer } from "../support/server.js";

// openesc.v1.OpenService/ResolveAnonymousEnvironment on a real server, over every protocol: a
// definition that is not stored, opened with its imports resolved in the org.

let server: TestServer;
let login: string;

beforeAll(async () => {
  server = await startTestServer();
  const environments = clientFor(EnvironmentService, "connect", server.url, server.token);
  await environments.createEnvironment({
    org: "default",
    project: "payments",
    environment: "base",
    definition: "values:\n  dbPassword:\n    fn::secret: stored-secret\n  pulumiConfig:\n    region: eu-west-1\n    password: ${dbPassword}\n",
  });
  login = (await clientFor(IdentityService, "connect", server.url, server.token).whoAmI({})).login;
});

afterAll(async () => {
  // the definitions sent held plaintext secrets: the server's log never shows them
  expect(server.output()).not.toContain("inline-secret");
  expect(server.output()).not.toContain("stored-secret");
  await server?.stop();
});

async function refusal(p: Promise<unknown>): Promise<ConnectError> {
  try {
    await p;
  } catch (e) {
    return ConnectError.from(e);
  }
  throw new Error("expected a refusal");
}

for (const protocol of PROTOCOLS) {
  describe(`ResolveAnonymousEnvironment over ${protocol}`, () => {
    const open = () => clientFor(OpenService, protocol, server.url, server.token);

    it("opens imports (their secrets decrypted) and inline values, and returns the projections", async () => {
      const definition = [
        "imports:",
        "  - payments/base",
        "values:",
        "  pulumiConfig:",
        "    apiKey:",
        "      fn::secret: inline-secret",
        "  environmentVariables:",
        "    REGION: ${pulumiConfig.region}",
        "    PASSWORD: ${pulumiConfig.password}",
        "  files:",
        "    KEY_FILE: ${pulumiConfig.apiKey}",
        "  who: ${context.pulumi.user.login}/${context.pulumi.organization.login}/${context.rootEnvironment.name}",
        "",
      ].join("\n");
      const res = await open().resolveAnonymousEnvironment({ org: "default", definition });
      expect(JSON.parse(res.valueJson)).toEqual({
        dbPassword: "stored-secret",
        pulumiConfig: { region: "eu-west-1", password: "stored-secret", apiKey: "inline-secret" },
        environmentVariables: { REGION: "eu-west-1", PASSWORD: "stored-secret" },
        files: { KEY_FILE: "inline-secret" },
        who: `${login}/default/<yaml>`,
      });
      expect(res.environmentVariables).toEqual({
        PASSWORD: expect.objectContaining({ value: "stored-secret", secret: true }),
        REGION: expect.objectContaining({ value: "eu-west-1", secret: false }),
      });
      expect(res.files).toEqual({ KEY_FILE: expect.objectContaining({ value: "inline-secret", secret: true }) });
      const fields = res.pulumiConfig?.kind.case === "objectValue" ? res.pulumiConfig.kind.value.fields : {};
      expect(Object.keys(fields).sort()).toEqual(["apiKey", "password", "region"]);
      expect(fields.apiKey).toMatchObject({ secret: true, kind: { case: "stringValue", value: "inline-secret" } });
      expect(fields.region).toMatchObject({ secret: false, kind: { case: "stringValue", value: "eu-west-1" } });
      expect(res.diagnostics).toEqual([]);
    });

    it("an empty definition opens as an empty environment (null, as ResolveEnvironment gives for one)", async () => {
      const res = await open().resolveAnonymousEnvironment({ org: "default", definition: "" });
      expect(res.valueJson).toBe("null\n");
      expect(res.pulumiConfig).toBeUndefined();
      expect(res.environmentVariables).toEqual({});
    });

    it("refuses a definition with errors with FAILED_PRECONDITION and its diagnostics", async () => {
      const err = await refusal(open().resolveAnonymousEnvironment({ org: "default", definition: "imports:\n  - payments/missing\n" }));
      expect(err.code).toBe(Code.FailedPrecondition);
      expect(err.rawMessage).toBe('the anonymous environment has errors: 2:5: environment "payments/missing" not found');
      const diagnostics = err.findDetails(DiagnosticsSchema).flatMap((d) => d.diagnostics);
      expect(diagnostics.map((d) => [d.summary, d.range?.environment, d.range?.begin?.line, d.range?.begin?.column])).toEqual([
        ['environment "payments/missing" not found', "<yaml>", 2, 5],
      ]);
    });

    it("refuses an unknown org with NOT_FOUND and a bad one with INVALID_ARGUMENT", async () => {
      const missing = await refusal(open().resolveAnonymousEnvironment({ org: "nope", definition: "values: {a: b}\n" }));
      expect([missing.code, missing.rawMessage]).toEqual([Code.NotFound, 'organization "nope" not found']);
      const bad = await refusal(open().resolveAnonymousEnvironment({ org: "a/b", definition: "values: {a: b}\n" }));
      expect(bad.code).toBe(Code.InvalidArgument);
      expect(bad.rawMessage).toMatch(/^org: /);
    });

    it("refuses a definition over 1 MiB with INVALID_ARGUMENT", async () => {
      const big = `values:\n  a: "${"x".repeat(1024 * 1024)}"\n`;
      const err = await refusal(open().resolveAnonymousEnvironment({ org: "default", definition: big }));
      expect([err.code, err.rawMessage]).toEqual([Code.InvalidArgument, "definition: must be at most 1048576 bytes"]);
    });
  });
}
