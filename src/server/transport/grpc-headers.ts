/**
 * The request and response headers of a call on the grpc-js transport. HandlerContext wants the
 * Fetch API's Headers, but undici's class validates and normalises on every operation and builds a
 * sorted copy to iterate: converting grpc-js metadata to it and back took two Maps, a sorted array
 * and a few hundred bytes of short-lived objects per call, on every call. Names here are lower-case
 * (as grpc-js metadata keys already are); several values of one name are joined with ", ", and
 * binary (`-bin`) values are base64, as the Fetch API's Headers would hold them.
 */
import * as grpc from "@grpc/grpc-js";

export class GrpcHeaders implements Headers {
  readonly #values = new Map<string, string>();

  /** The headers of grpc-js metadata (the first value of each key, as grpc-js's getMap gives it). */
  static fromMetadata(metadata: grpc.Metadata): GrpcHeaders {
    const headers = new GrpcHeaders();
    const map = metadata.getMap();
    for (const key in map) {
      const value = map[key] as grpc.MetadataValue;
      headers.#values.set(key, typeof value === "string" ? value : Buffer.from(value).toString("base64"));
    }
    return headers;
  }

  /** grpc-js metadata with these headers (`-bin` values decoded from base64). */
  toMetadata(): grpc.Metadata {
    const metadata = new grpc.Metadata();
    for (const [key, value] of this.#values) metadata.set(key, key.endsWith("-bin") ? Buffer.from(value, "base64") : value);
    return metadata;
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const existing = this.#values.get(key);
    this.#values.set(key, existing === undefined ? value : `${existing}, ${value}`);
  }

  delete(name: string): void {
    this.#values.delete(name.toLowerCase());
  }

  get(name: string): string | null {
    return this.#values.get(name.toLowerCase()) ?? null;
  }

  getSetCookie(): string[] {
    const value = this.#values.get("set-cookie");
    return value === undefined ? [] : [value];
  }

  has(name: string): boolean {
    return this.#values.has(name.toLowerCase());
  }

  set(name: string, value: string): void {
    this.#values.set(name.toLowerCase(), value);
  }

  forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    for (const [key, value] of this.#sorted()) callback.call(thisArg, value, key, this);
  }

  *entries(): IterableIterator<[string, string]> {
    yield* this.#sorted();
  }

  *keys(): IterableIterator<string> {
    for (const [key] of this.#sorted()) yield key;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.#sorted()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  /** Iteration is in name order, as the Fetch API's Headers iterates. */
  #sorted(): [string, string][] {
    return [...this.#values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}
