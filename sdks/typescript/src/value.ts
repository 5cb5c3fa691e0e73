import type { Value } from "./gen/openesc/v1/value_pb.js";
import { Secret } from "./secret.js";

/**
 * An evaluated value in native form: JSON-like data where every value the environment marks secret
 * is a {@link Secret}. Numbers become JavaScript numbers (ESC sends them as exact decimal text).
 */
export type EscValue = null | boolean | number | string | EscValue[] | EscObject | Secret<EscValue>;

/** An object of values. */
export interface EscObject {
  [key: string]: EscValue;
}

/**
 * Converts a wire Value into its native form. A secret becomes a Secret around its plaintext; a
 * secret the server withheld (no kind) and an unknown value (check mode only) become `null`.
 */
export function fromValue(value: Value | undefined): EscValue {
  if (value === undefined) return null;
  const plain = plainOf(value);
  return value.secret ? new Secret(plain) : plain;
}

function plainOf(value: Value): EscValue {
  const kind = value.kind;
  switch (kind.case) {
    case "boolValue":
    case "stringValue":
      return kind.value;
    case "numberValue":
      return Number(kind.value);
    case "listValue":
      return kind.value.values.map(fromValue);
    case "objectValue": {
      const out: EscObject = {};
      for (const key of Object.keys(kind.value.fields).sort()) out[key] = fromValue(kind.value.fields[key]);
      return out;
    }
    default:
      return null;
  }
}
