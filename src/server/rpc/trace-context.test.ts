import { describe, expect, it } from "vitest";
import { formatTraceparent, traceContextFrom } from "./trace-context.js";

describe("traceContextFrom()", () => {
  it("continues a valid traceparent with a new span whose parent is the caller's span", () => {
    const t = traceContextFrom("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    expect(t.traceId).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(t.parentSpanId).toBe("00f067aa0ba902b7");
    expect(t.flags).toBe("01");
    expect(t.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(t.spanId).not.toBe("00f067aa0ba902b7");
    expect(formatTraceparent(t)).toBe(`00-4bf92f3577b34da6a3ce929d0e0e4736-${t.spanId}-01`);
  });

  it("reads a future version by its first four fields", () => {
    const t = traceContextFrom("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-extra");
    expect(t.traceId).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
  });

  it.each([
    ["absent", undefined],
    ["null", null],
    ["garbage", "hello"],
    ["upper case", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01"],
    ["all-zero trace id", `00-${"0".repeat(32)}-00f067aa0ba902b7-01`],
    ["all-zero parent", `00-4bf92f3577b34da6a3ce929d0e0e4736-${"0".repeat(16)}-01`],
    ["version ff", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"],
    ["version 00 with extra fields", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x"],
    ["oversized", `00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01${"-x".repeat(400)}`],
  ])("starts a new trace when the header is %s", (_, header) => {
    const t = traceContextFrom(header);
    expect(t.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(t.traceId).not.toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(t.parentSpanId).toBeUndefined();
    expect(t.flags).toBe("00");
  });
});
