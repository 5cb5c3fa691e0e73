import { decodeBase64, encodeBase64 } from "./base64.js";

const MAGIC = [0x65, 0x73, 0x63, 0x78]; // "escx"

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE) of bytes. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const b of bytes) crc = (crcTable[(crc ^ b) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * Decodes a ciphertext envelope (esc-language.md §16.1) to its payload. Errors are the REASON of
 * `invalid ciphertext: REASON`, checked in the spec's order.
 */
export function openEnvelope(ciphertext: string): { payload: Uint8Array } | { error: string } {
  const d = decodeBase64(new TextEncoder().encode(ciphertext));
  if ("error" in d) return d;
  const b = d.bytes;
  if (b.length < 16) return { error: "EOF" };
  if (MAGIC.some((m, i) => b[i] !== m)) return { error: "invalid header" };
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (crc32(b.subarray(0, b.length - 4)) !== view.getUint32(b.length - 4)) return { error: "invalid checksum" };
  if (view.getUint32(4) !== 1) return { error: "unsupported version" };
  return { payload: b.slice(8, b.length - 4) };
}

/** Wraps a payload in a version-1 envelope and returns its base64 text (for hosts and tests). */
export function sealEnvelope(payload: Uint8Array): string {
  const b = new Uint8Array(payload.length + 12);
  b.set(MAGIC, 0);
  new DataView(b.buffer).setUint32(4, 1);
  b.set(payload, 8);
  new DataView(b.buffer).setUint32(b.length - 4, crc32(b.subarray(0, b.length - 4)));
  return encodeBase64(b);
}
