/**
 * fast-check properties over every RPC's request decoding: random bytes, random JSON and random
 * field values, sent to every method of every service the server registers (iterated from the
 * reflection file list, not hand-listed). The server must answer each with a clean code, never
 * `internal` or `unknown`, and keep serving. Shared by rpc-fuzz.test.ts and `npm run fuzz`.
 */
import { create, ScalarType, toBinary, type DescField, type DescMessage, type DescMethod } from "@bufbuild/protobuf";
import fc from "fast-check";
import { serverFiles } from "../../src/server/index.js";
import { callConnectRaw, callGrpcRaw, callGrpcWebRaw } from "./raw-rpc.js";

/** Every method of every served service. */
export const ALL_METHODS: readonly DescMethod[] = serverFiles.flatMap((file) => file.services.flatMap((service) => service.methods));

/** Codes that mean the server failed rather than refused. */
const BROKEN = new Set(["internal", "unknown", "no status", "no end of stream"]);

export interface Target {
  readonly url: string;
  readonly token: string;
}

/** Strings that probe storage and names: SQL metacharacters, traversal, control bytes, long runs. */
const nastyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom("'; DROP TABLE environments; --", "\" OR 1=1 --", "%", "_", "\\", "../..", "%2e%2e/%2e%2e", "\u0000", "a\nb", "😀", "x".repeat(300), "default", "default/p/e"),
);

function scalarArbitrary(type: ScalarType): fc.Arbitrary<unknown> {
  switch (type) {
    case ScalarType.STRING:
      return nastyString;
    case ScalarType.BYTES:
      return fc.uint8Array({ maxLength: 64 });
    case ScalarType.BOOL:
      return fc.boolean();
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return fc.double();
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return fc.integer({ min: 0, max: 2 ** 32 - 1 });
    default:
      return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
  }
}

/** A message of `desc` with random values in random fields (two levels of nesting at most). */
function messageArbitrary(desc: DescMessage, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const entries: Record<string, fc.Arbitrary<unknown>> = {};
  for (const field of desc.fields) {
    const arb = fieldArbitrary(field, depth);
    if (arb !== undefined) entries[field.localName] = arb;
  }
  return fc.record(entries, { requiredKeys: [] });
}

function fieldArbitrary(field: DescField, depth: number): fc.Arbitrary<unknown> | undefined {
  const single = (): fc.Arbitrary<unknown> | undefined => {
    if (field.fieldKind === "scalar" || (field.fieldKind === "list" && field.listKind === "scalar")) return scalarArbitrary(field.scalar as ScalarType);
    if (field.fieldKind === "enum" || (field.fieldKind === "list" && field.listKind === "enum")) return fc.integer({ min: -1, max: 8 });
    const message = field.fieldKind === "message" ? field.message : field.fieldKind === "list" && field.listKind === "message" ? field.message : undefined;
    if (message !== undefined && depth < 2 && !message.typeName.startsWith("google.protobuf.")) return messageArbitrary(message, depth + 1);
    return undefined;
  };
  if (field.fieldKind === "map") return undefined;
  if (field.oneof !== undefined) return undefined;
  const arb = single();
  if (arb === undefined) return undefined;
  return field.fieldKind === "list" ? fc.array(arb, { maxLength: 3 }) : arb;
}

/** A request: a method, a protocol, and a body that is random bytes, random JSON or a random valid message. */
export const rpcRequest = fc
  .constantFrom(...ALL_METHODS)
  .chain((method) =>
    fc.record({
      method: fc.constant(method),
      protocol: fc.constantFrom("connect-proto" as const, "connect-json" as const, "grpc" as const, "grpc-web" as const),
      body: fc.oneof(
        fc.uint8Array({ maxLength: 256 }),
        fc.jsonValue({ maxDepth: 3 }).map((v) => new TextEncoder().encode(JSON.stringify(v))),
        messageArbitrary(method.input).map((init) => {
          try {
            return toBinary(method.input, create(method.input, init as never));
          } catch {
            return new Uint8Array([0xff]);
          }
        }),
      ),
    }),
  );

/** Sends one request; the property holds when the answer is a clean code. */
export function rpcAnswersCleanly(target: Target, onAnswer?: (code: string) => void) {
  return fc.asyncProperty(rpcRequest, async ({ method, protocol, body }) => {
    const code =
      protocol === "grpc"
        ? await callGrpcRaw(target.url, target.token, method, body)
        : protocol === "grpc-web"
          ? await callGrpcWebRaw(target.url, target.token, method, body)
          : await callConnectRaw(target.url, target.token, method, body, protocol === "connect-json" ? "json" : "proto");
    onAnswer?.(code);
    if (BROKEN.has(code) || code === "internal (parse binary)") throw new Error(`${method.parent.typeName}/${method.name} over ${protocol} answered ${code}`);
  });
}
