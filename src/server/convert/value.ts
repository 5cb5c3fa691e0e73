import { create } from "@bufbuild/protobuf";
import { NullValue } from "@bufbuild/protobuf/wkt";
import type { Value as EscValue } from "../../esc/index.js";
import { ValueSchema, type Value } from "../../gen/openesc/v1/value_pb.js";

/** Options of {@link toProtoValue}. */
export interface ValueConversionOptions {
  /** Keep the plaintext of secret values; default false: a secret carries `secret` and no kind. */
  readonly showSecrets?: boolean;
  /** Fill `trace` with the range that defined each value (§17.2); default false (it costs). */
  readonly traces?: boolean;
}

/** An evaluated value as an `openesc.v1.Value`, keeping secret and unknown flags per node. */
export function toProtoValue(v: EscValue, options: ValueConversionOptions = {}): Value {
  const def = options.traces === true ? v.trace?.def : undefined;
  const flags = {
    secret: v.secret,
    unknown: v.unknown,
    trace: def === undefined ? undefined : { environment: def.environment, begin: { ...def.begin }, end: { ...def.end } },
  };
  if (v.secret && options.showSecrets !== true) return create(ValueSchema, flags);
  switch (v.kind) {
    case "null":
      return create(ValueSchema, { ...flags, kind: v.unknown ? { case: undefined } : { case: "nullValue", value: NullValue.NULL_VALUE } });
    case "boolean":
      return create(ValueSchema, { ...flags, kind: { case: "boolValue", value: v.value as boolean } });
    case "number":
      return create(ValueSchema, { ...flags, kind: { case: "numberValue", value: v.value as string } });
    case "string":
      return create(ValueSchema, { ...flags, kind: { case: "stringValue", value: v.value as string } });
    case "array":
      return create(ValueSchema, {
        ...flags,
        kind: { case: "listValue", value: { values: (v.value as readonly EscValue[]).map((e) => toProtoValue(e, options)) } },
      });
    case "object": {
      const fields: Record<string, Value> = {};
      for (const [k, e] of Object.entries(v.value as Record<string, EscValue>)) fields[k] = toProtoValue(e, options);
      return create(ValueSchema, { ...flags, kind: { case: "objectValue", value: { fields } } });
    }
  }
}
