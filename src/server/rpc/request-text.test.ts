import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { CreateEnvironmentRequestSchema, ListEnvironmentsRequestSchema } from "../../gen/openesc/v1/environment_pb.js";
import { refuseNulText } from "./request-text.js";

function refusal(input: unknown): string | undefined {
  try {
    refuseNulText(input);
    return undefined;
  } catch (e) {
    const error = ConnectError.from(e);
    expect(error.code).toBe(Code.InvalidArgument);
    return error.rawMessage;
  }
}

describe("refuseNulText()", () => {
  it("names the field holding U+0000, in proto spelling", () => {
    expect(refusal(create(CreateEnvironmentRequestSchema, { org: "default", project: "p", environment: "e", definition: "values:\n  a: x\u0000y\n" }))).toBe(
      "definition: must not contain NUL (U+0000) characters",
    );
    expect(refusal(create(ListEnvironmentsRequestSchema, { org: "default", tagFilter: { team: "a\u0000" } }))).toBe("tag_filter.team: must not contain NUL (U+0000) characters");
    expect(refusal(create(ListEnvironmentsRequestSchema, { org: "default", tagFilter: { "t\u0000": "a" } }))).toBe("tag_filter: must not contain NUL (U+0000) characters");
  });

  it("lets everything else through, bytes included", () => {
    expect(refusal(create(CreateEnvironmentRequestSchema, { org: "default", project: "p", environment: "e", definition: "values: {a: \"\\u0000 escaped is fine\"}" }))).toBeUndefined();
    expect(refusal({ data: new Uint8Array([0, 0]), list: ["a", "b"], nested: { x: 1 } })).toBeUndefined();
    expect(refusal(undefined)).toBeUndefined();
  });
});
