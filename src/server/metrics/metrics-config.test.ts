import { describe, expect, it } from "vitest";
import { resolveMetricsConfig } from "./metrics-config.js";

const parse = (text: string) => {
  const [host, port] = text.split(":");
  return { host: host as string, port: Number(port) };
};

describe("resolveMetricsConfig()", () => {
  it("serves on the main port by default, without a token", () => {
    expect(resolveMetricsConfig(undefined, {}, parse)).toEqual({ listen: "main" });
  });
  it("takes the flag before OPENESC_METRICS_LISTEN, and the token only from the environment", () => {
    expect(resolveMetricsConfig("127.0.0.1:9100", { OPENESC_METRICS_LISTEN: "off", OPENESC_METRICS_TOKEN: "t0k" }, parse)).toEqual({ listen: { host: "127.0.0.1", port: 9100 }, token: "t0k" });
    expect(resolveMetricsConfig(undefined, { OPENESC_METRICS_LISTEN: "off" }, parse)).toEqual({ listen: "off" });
  });
});
