import { create, equals, toBinary, toJsonString } from "@bufbuild/protobuf";
import { describe, expect, test } from "vitest";
import { ResolveEnvironmentResponseSchema } from "../../gen/openesc/v1/open_pb.js";
import { wireBytesOf, withWireBytes } from "./wire-bytes.js";

describe("wire bytes", () => {
  test("a marked message carries its bytes; others and non-objects carry none", () => {
    const bytes = toBinary(ResolveEnvironmentResponseSchema, create(ResolveEnvironmentResponseSchema, { valueJson: '{"a":1}' }));
    const marked = withWireBytes(create(ResolveEnvironmentResponseSchema), bytes);
    expect(wireBytesOf(marked)).toBe(bytes);
    expect(wireBytesOf(create(ResolveEnvironmentResponseSchema))).toBeUndefined();
    expect(wireBytesOf(null)).toBeUndefined();
    expect(wireBytesOf("text")).toBeUndefined();
  });

  test("the mark is invisible to protobuf-es: encoding, JSON and equality see only the fields", () => {
    const plain = create(ResolveEnvironmentResponseSchema, { valueJson: "{}" });
    const marked = withWireBytes(create(ResolveEnvironmentResponseSchema, { valueJson: "{}" }), new Uint8Array([1, 2, 3]));
    expect(toBinary(ResolveEnvironmentResponseSchema, marked)).toEqual(toBinary(ResolveEnvironmentResponseSchema, plain));
    expect(toJsonString(ResolveEnvironmentResponseSchema, marked)).toBe(toJsonString(ResolveEnvironmentResponseSchema, plain));
    expect(equals(ResolveEnvironmentResponseSchema, marked, plain)).toBe(true);
    expect(Object.keys(marked)).toEqual(Object.keys(plain));
  });
});
