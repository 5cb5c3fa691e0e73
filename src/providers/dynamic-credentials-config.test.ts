import { describe, expect, test } from "vitest";
import { parseDurationSeconds, formatDuration } from "./duration.js";
import { resolveDynamicCredentialsConfig } from "./dynamic-credentials-config.js";

describe("resolveDynamicCredentialsConfig()", () => {
  test("defaults: no public URL (the listen URL), 30 s time-out, 24 h grace, 5 s refresh", () => {
    expect(resolveDynamicCredentialsConfig({}, {})).toEqual({ providerTimeoutMs: 30_000, oidcKeyGraceMs: 86_400_000, oidcKeyRefreshMs: 5_000 });
  });

  test("flags win over variables; URLs lose a trailing slash", () => {
    const env = { OPENESC_PUBLIC_URL: "https://env.example.com", OPENESC_PROVIDER_TIMEOUT_MS: "5000", OPENESC_AWS_ENDPOINT_URL: "http://127.0.0.1:5000/" };
    expect(resolveDynamicCredentialsConfig({ publicUrl: "https://esc.example.com/", oidcKeyGraceSeconds: "60" }, env)).toEqual({
      publicUrl: "https://esc.example.com",
      awsEndpointUrl: "http://127.0.0.1:5000",
      providerTimeoutMs: 5_000,
      oidcKeyGraceMs: 60_000,
      oidcKeyRefreshMs: 5_000,
    });
  });

  test.each([
    [{ publicUrl: "esc.example.com" }, 'invalid --public-url "esc.example.com": expected an http(s) URL'],
    [{ publicUrl: "ftp://esc.example.com" }, 'invalid --public-url "ftp://esc.example.com": expected an http(s) URL'],
    [{ publicUrl: "https://esc.example.com/?a=1" }, 'invalid --public-url "https://esc.example.com/?a=1": no query or fragment allowed'],
    [{ providerTimeoutMs: "0" }, 'invalid --provider-timeout-ms "0": expected an integer from 1 to 600000'],
    [{ providerTimeoutMs: "1.5" }, 'invalid --provider-timeout-ms "1.5": expected an integer from 1 to 600000'],
    [{ oidcKeyGraceSeconds: "-1" }, 'invalid --oidc-key-grace-seconds "-1": expected an integer from 0 to 7776000'],
  ])("%j is refused", (flags, message) => {
    expect(() => resolveDynamicCredentialsConfig(flags, {})).toThrow(message);
  });
});

describe("durations", () => {
  test.each([
    ["1h", 3600],
    ["90m", 5400],
    ["1h30m", 5400],
    ["3600s", 3600],
    ["1h1m1s", 3661],
    ["1d", undefined],
    ["h", undefined],
    ["", undefined],
    ["1.5h", undefined],
  ])("%s is %s seconds", (text, seconds) => {
    expect(parseDurationSeconds(text)).toBe(seconds);
  });

  test("format", () => {
    expect([formatDuration(900), formatDuration(43_200), formatDuration(5400), formatDuration(61)]).toEqual(["15m", "12h", "1h30m", "1m1s"]);
  });
});
