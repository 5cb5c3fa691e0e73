import * as grpc from "@grpc/grpc-js";
import { describe, expect, test } from "vitest";
import { GrpcHeaders } from "./grpc-headers.js";

/** What the Fetch API's Headers gives for the same operations: GrpcHeaders must agree. */
function bothAfter(ops: (h: Headers) => void): [GrpcHeaders, Headers] {
  const ours = new GrpcHeaders();
  const fetchHeaders = new Headers();
  ops(ours);
  ops(fetchHeaders);
  return [ours, fetchHeaders];
}

describe("GrpcHeaders", () => {
  test("behaves as the Fetch API's Headers: names case-insensitive, append joins, delete, iteration in name order", () => {
    const [ours, theirs] = bothAfter((h) => {
      h.set("X-Request-Id", "r1");
      h.set("traceparent", "00-abc-def-01");
      h.append("Vary", "a");
      h.append("vary", "b");
      h.set("zeta", "z");
      h.set("Alpha", "1");
      h.delete("ZETA");
    });
    for (const name of ["x-request-id", "X-REQUEST-ID", "vary", "zeta", "missing"]) {
      expect([name, ours.get(name), ours.has(name)]).toEqual([name, theirs.get(name), theirs.has(name)]);
    }
    expect([...ours]).toEqual([...theirs]);
    expect([...ours]).toEqual([
      ["alpha", "1"],
      ["traceparent", "00-abc-def-01"],
      ["vary", "a, b"],
      ["x-request-id", "r1"],
    ]);
    expect([...ours.keys()]).toEqual([...theirs.keys()]);
    expect([...ours.values()]).toEqual([...theirs.values()]);
    const seen: string[] = [];
    ours.forEach((value, key, parent) => seen.push(`${key}=${value}:${parent === ours}`));
    expect(seen).toEqual(["alpha=1:true", "traceparent=00-abc-def-01:true", "vary=a, b:true", "x-request-id=r1:true"]);
    expect(ours.getSetCookie()).toEqual([]);
  });

  test("reads grpc-js metadata: the first value of each key, binary values as base64", () => {
    const metadata = new grpc.Metadata();
    metadata.set("authorization", "Bearer t");
    metadata.add("x-multi", "first");
    metadata.add("x-multi", "second");
    metadata.set("trace-bin", Buffer.from([0, 1, 2, 255]));
    const headers = GrpcHeaders.fromMetadata(metadata);
    expect([...headers]).toEqual([
      ["authorization", "Bearer t"],
      ["trace-bin", "AAEC/w=="],
      ["x-multi", "first"],
    ]);
    expect(headers.get("Authorization")).toBe("Bearer t");
  });

  test("writes grpc-js metadata, decoding binary values from base64", () => {
    const headers = new GrpcHeaders();
    headers.set("X-Request-Id", "r1");
    headers.set("retry-after", "3");
    headers.set("details-bin", Buffer.from([9, 8, 7]).toString("base64"));
    const metadata = headers.toMetadata();
    expect(metadata.get("x-request-id")).toEqual(["r1"]);
    expect(metadata.get("retry-after")).toEqual(["3"]);
    expect(metadata.get("details-bin")).toEqual([Buffer.from([9, 8, 7])]);
    expect(Object.keys(metadata.getMap()).sort()).toEqual(["details-bin", "retry-after", "x-request-id"]);
  });
});
