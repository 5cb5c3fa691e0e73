import { ConnectError, Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ConfigKeyError,
  createStackEnvironmentClient,
  environmentErrorDiagnostics,
  formatStackDiagnostic,
  resolveStack,
  type ResolvedStack,
} from "../../sdks/typescript/src/pulumi/index.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { listFixtures, seedFixture, setupClients, type Fixture } from "./support/fixtures.js";

// The golden Pulumi projects (test/pulumi/fixtures/*), each resolved against a real server. Every
// expected.json was written by hand from the rules of issue 8 — never generated from the output.

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.stop();
});

const fixtures = listFixtures();

describe("resolveStack() golden fixtures", () => {
  it("has the cases the issue lists", () => {
    expect(fixtures.map((f) => f.name)).toEqual([
      "env-vars-and-files",
      "import-order",
      "inline-form",
      "invalid-key",
      "list-form",
      "missing-environment",
      "namespaced-keys",
      "nested-objects",
      "no-effects",
      "no-environment",
      "permission-denied",
      "pinned-versions",
      "secrets",
      "stack-overrides",
    ]);
  });

  for (const fixture of fixtures) {
    it(fixture.name, async () => {
      const org = `pulumi-${fixture.name}`;
      const token = await seedFixture(setupClients(server.url, server.token), org, fixture);
      expect(await outcome(fixture, org, token ?? server.token)).toEqual(fixture.expected);
    });
  }
});

describe("resolveStack({environment})", () => {
  it("uses the given environment instead of the stack file's (Automation API on a self-managed backend)", async () => {
    // runs after the fixtures: pulumi-list-form holds payments/base and payments/dev
    const fixture = fixtures.find((f) => f.name === "list-form") as Fixture;
    const client = createStackEnvironmentClient({ url: server.url, token: server.token });
    const listed = await resolveStack({ projectDir: fixture.dir, stack: "dev", client, org: "pulumi-list-form", environment: ["payments/base"] });
    expect(view(listed)).toEqual({
      config: {
        "aws:region": { value: "eu-west-1", secret: false },
        "shop:region": { value: "eu-west-1", secret: false },
        "shop:replicas": { value: "2", secret: false },
        "shop:tier": { value: "base", secret: false },
      },
      environmentVariables: { APP_ENV: { value: "base", secret: false }, LOG_LEVEL: { value: "info", secret: false } },
      files: {},
      diagnostics: [],
    });
    const inline = await resolveStack({ projectDir: fixture.dir, stack: "dev", client, org: "pulumi-list-form", environment: "imports: [payments/dev]\nvalues:\n  pulumiConfig:\n    tier: inline\n" });
    expect(inline.config["shop:tier"]).toMatchObject({ value: "inline", secret: false });
    expect(Object.keys(inline.config)).toEqual(["shop:replicas", "shop:tier"]);
  });
});

/** The resolution as the expected.json files write it: the result, or the refusal. */
async function outcome(fixture: Fixture, org: string, token: string): Promise<unknown> {
  try {
    const resolved = await resolveStack({
      projectDir: fixture.dir,
      stack: fixture.stack,
      client: createStackEnvironmentClient({ url: server.url, token }),
      org,
      ...(fixture.passphrase !== undefined ? { passphrase: fixture.passphrase } : {}),
    });
    return view(resolved);
  } catch (e) {
    if (e instanceof ConnectError) {
      return { error: { code: Code[e.code], message: e.rawMessage, diagnostics: environmentErrorDiagnostics(e).map(formatStackDiagnostic) } };
    }
    if (e instanceof ConfigKeyError) return { error: { code: "ConfigKeyError", message: e.message } };
    throw e;
  }
}

function view(r: ResolvedStack): unknown {
  return {
    config: Object.fromEntries(Object.entries(r.config).map(([k, e]) => [k, { value: e.value, secret: e.secret }])),
    environmentVariables: r.environmentVariables,
    files: r.files,
    diagnostics: r.diagnostics.map(formatStackDiagnostic),
  };
}
