import { create, toBinary } from "@bufbuild/protobuf";
import { BinaryWriter } from "@bufbuild/protobuf/wire";
import type { ConnectError } from "@connectrpc/connect";

/**
 * Encodes a ConnectError as a `google.rpc.Status` message for the `grpc-status-details-bin`
 * trailer, the way connect-node does, so that clients of either transport see the same details.
 * Status: 1 code (int32), 2 message (string), 3 details (repeated Any: 1 type_url, 2 value).
 */
export function encodeGrpcStatusDetails(error: ConnectError): Uint8Array | undefined {
  if (error.details.length === 0) return undefined;
  const writer = new BinaryWriter();
  writer.tag(1, 0).int32(error.code);
  writer.tag(2, 2).string(error.rawMessage);
  for (const detail of error.details) {
    let typeName: string;
    let value: Uint8Array;
    if ("desc" in detail) {
      typeName = detail.desc.typeName;
      value = toBinary(detail.desc, create(detail.desc, detail.value));
    } else {
      typeName = detail.type;
      value = detail.value;
    }
    writer.tag(3, 2).fork().tag(1, 2).string(`type.googleapis.com/${typeName}`).tag(2, 2).bytes(value).join();
  }
  return writer.finish();
}
