import { compileSchema, type Schema } from "../schema.js";
import type { Json } from "../json-text.js";

const ref: Json = { $ref: "#/$defs/schema" };
const strings: Json = { type: "array", items: { type: "string" } };
const number: Json = { type: "number" };

/** The meta-schema `fn::validate` checks its schema against (esc-language.md §9.13): "boolean or object". */
const META_JSON: Json = {
  $defs: {
    schema: {
      anyOf: [
        { type: "boolean" },
        {
          type: "object",
          properties: {
            $defs: { type: "object", additionalProperties: ref },
            $ref: { type: "string" },
            anyOf: { type: "array", items: ref },
            oneOf: { type: "array", items: ref },
            prefixItems: { type: "array", items: ref },
            items: ref,
            additionalProperties: ref,
            properties: { type: "object", additionalProperties: ref },
            type: { enum: ["string", "number", "boolean", "array", "object", "null"] },
            enum: { type: "array" },
            multipleOf: number, maximum: number, exclusiveMaximum: number, minimum: number, exclusiveMinimum: number,
            maxLength: number, minLength: number, maxItems: number, minItems: number, maxProperties: number, minProperties: number,
            pattern: { type: "string" },
            uniqueItems: { type: "boolean" },
            required: strings,
            dependentRequired: { type: "object", additionalProperties: strings },
            title: { type: "string" },
            description: { type: "string" },
            deprecated: { type: "boolean" },
            examples: { type: "array" },
            secret: { type: "boolean" },
            rotateOnly: strings,
          },
        },
      ],
    },
  },
  $ref: "#/$defs/schema",
};

/** The compiled meta-schema. */
export const META_SCHEMA: Schema = (() => {
  const r = compileSchema(META_JSON);
  if (!("schema" in r)) throw new Error(`meta-schema does not compile: ${r.error}`);
  return r.schema;
})();
