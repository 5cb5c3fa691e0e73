/** openesc.v1.ProviderService on a real server, over every protocol. */
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ProviderService } from "../../src/gen/openesc/v1/provider_pb.js";
import { clientFor, PROTOCOLS } from "../support/clients.js";
import { startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

const refusal = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => ConnectError.from(e));

describe.each(PROTOCOLS)("ProviderService over %s", (protocol) => {
  test("ListProviders names every built-in provider, sorted", async () => {
    const res = await clientFor(ProviderService, protocol, server.url, server.token).listProviders({});
    expect(res.providers.map((p) => p.name)).toEqual(["aws-login", "aws-parameter-store", "aws-secrets", "vault-login", "vault-secrets"]);
    expect(res.providers.every((p) => p.description.length > 20)).toBe(true);
  });

  test("GetProviderSchema returns the input and output JSON Schemas, secrets marked", async () => {
    const res = await clientFor(ProviderService, protocol, server.url, server.token).getProviderSchema({ name: "aws-login" });
    expect(res.provider?.name).toBe("aws-login");
    const input = res.inputSchema as { type: string; properties: Record<string, { required?: string[]; properties?: Record<string, { minLength?: number; maxLength?: number }> }> };
    expect(input.type).toBe("object");
    expect(Object.keys(input.properties).sort()).toEqual(["endpoint", "oidc", "region", "static"]);
    expect(input.properties["oidc"]?.required).toEqual(["roleArn", "sessionName"]);
    expect([input.properties["oidc"]?.properties?.["sessionName"]?.minLength, input.properties["oidc"]?.properties?.["sessionName"]?.maxLength]).toEqual([2, 64]);
    expect(res.outputSchema).toEqual({
      type: "object",
      properties: {
        accessKeyId: { type: "string", description: "the access key id" },
        secretAccessKey: { type: "string", secret: true, description: "the secret access key" },
        sessionToken: { type: "string", secret: true, description: "the session token" },
      },
      required: ["accessKeyId", "secretAccessKey", "sessionToken"],
      additionalProperties: false,
    });
  });

  test("an unknown provider is NotFound, an empty name InvalidArgument, no token Unauthenticated", async () => {
    const client = clientFor(ProviderService, protocol, server.url, server.token);
    const missing = await refusal(client.getProviderSchema({ name: "gcp-login" }));
    expect([missing?.code, missing?.rawMessage]).toEqual([Code.NotFound, 'provider "gcp-login" not found']);
    const empty = await refusal(client.getProviderSchema({ name: "" }));
    expect([empty?.code, empty?.rawMessage]).toEqual([Code.InvalidArgument, "name: must name a provider"]);
    const anonymous = await refusal(clientFor(ProviderService, protocol, server.url).listProviders({}));
    expect(anonymous?.code).toBe(Code.Unauthenticated);
  });
});
