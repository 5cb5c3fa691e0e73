import { describe, expect, test } from "vitest";
import { awsClientConfig } from "./aws-client-config.js";
import type { ProviderCall } from "./builtin-provider.js";

const call = (awsEndpoint?: string) => ({ ...(awsEndpoint === undefined ? {} : { awsEndpoint }) }) as unknown as ProviderCall;

describe("awsClientConfig()", () => {
  test("region default, endpoint from the inputs before the server's, one retry", () => {
    expect(awsClientConfig({}, call(), { accessKeyId: "A", secretAccessKey: "S", sessionToken: "T" })).toEqual({
      region: "us-east-1",
      credentials: { accessKeyId: "A", secretAccessKey: "S", sessionToken: "T" },
      maxAttempts: 2,
    });
    expect(awsClientConfig({ region: "eu-west-1", endpoint: "http://in" }, call("http://server"), { accessKeyId: "A", secretAccessKey: "S" }).endpoint).toBe("http://in");
    expect(awsClientConfig({}, call("http://server"), { accessKeyId: "A", secretAccessKey: "S" }).endpoint).toBe("http://server");
  });

  test("an empty session token is not sent; no credentials means placeholders, never the process's", () => {
    expect(awsClientConfig({}, call(), { accessKeyId: "A", secretAccessKey: "S", sessionToken: "" }).credentials).toEqual({ accessKeyId: "A", secretAccessKey: "S" });
    expect(awsClientConfig({}, call()).credentials).toEqual({ accessKeyId: "openesc-unsigned", secretAccessKey: "openesc-unsigned" });
  });
});
