/**
 * Responses whose protobuf encoding is already known (a cached resolve), so that a transport able
 * to send raw bytes does not encode the message again — for a resolve, encoding costs more than
 * everything else a cached answer does. A transport announces the ability with `sendsWireBytesKey`
 * in each call's context; a handler must return a complete message to any other transport.
 */
import { createContextKey } from "@connectrpc/connect";

// A property, not a WeakMap: V8's scavenges keep the entries of a WeakMap whose keys are young, so
// every answer marked that way (and its bytes) outlived its call into the old generation, to be found
// only by a full collection — at 2,000 calls/s a full collection every few seconds.
const WIRE_BYTES = Symbol("openesc.wireBytes");

type Marked = { [WIRE_BYTES]?: Uint8Array };

/** True in the context of calls whose transport sends `withWireBytes` bytes as they are. */
export const sendsWireBytesKey = createContextKey<boolean>(false, { description: "openesc transport sends wire bytes" });

/** Marks `message` as encoded by `bytes` (the transport then sends `bytes`, not the message's fields). */
export function withWireBytes<T extends object>(message: T, bytes: Uint8Array): T {
  (message as Marked)[WIRE_BYTES] = bytes;
  return message;
}

/** The bytes `withWireBytes` attached to `message`, if any. */
export function wireBytesOf(message: unknown): Uint8Array | undefined {
  return typeof message === "object" && message !== null ? (message as Marked)[WIRE_BYTES] : undefined;
}
