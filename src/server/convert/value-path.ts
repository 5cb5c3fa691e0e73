import type { Value } from "../../gen/openesc/v1/value_pb.js";
import type { PathSegment } from "../property-path.js";

/** The value at a property path, or undefined when the path does not exist. */
export function valueAtPath(root: Value, path: readonly PathSegment[]): Value | undefined {
  let v: Value | undefined = root;
  for (const segment of path) {
    if (v === undefined) return undefined;
    if (typeof segment === "number") {
      v = v.kind.case === "listValue" ? v.kind.value.values[segment] : undefined;
    } else {
      v = v.kind.case === "objectValue" ? v.kind.value.fields[segment] : undefined;
    }
  }
  return v;
}

/** Plain JSON of a value, secrets shown (the caller was allowed to open), unknowns `"[unknown]"`. */
export function protoValueToJson(v: Value): unknown {
  if (v.unknown && v.kind.case === undefined) return "[unknown]";
  switch (v.kind.case) {
    case undefined:
    case "nullValue":
      return null;
    case "boolValue":
    case "stringValue":
      return v.kind.value;
    case "numberValue":
      return Number(v.kind.value);
    case "listValue":
      return v.kind.value.values.map(protoValueToJson);
    case "objectValue": {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v.kind.value.fields).sort()) out[k] = protoValueToJson(v.kind.value.fields[k] as Value);
      return out;
    }
  }
}
