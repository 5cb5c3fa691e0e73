/**
 * `aws-parameter-store`: parameters from AWS Systems Manager Parameter Store, read with the
 * credentials given (usually `${aws.login}`), all at once. SecureString values are decrypted and
 * secret; String and StringList values are plain.
 */
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { secret } from "../esc/index.js";
import { awsClientConfig, type AwsCredentials, type AwsLocation } from "./aws-client-config.js";
import type { BuiltinProvider } from "./builtin-provider.js";
import { describeAwsError, ProviderError } from "./provider-error.js";
import { awsCredentialsSchema, awsLocationProperties, stringSchema } from "./schemas.js";

interface ParameterRef {
  readonly name: string;
  readonly version?: number;
  readonly decrypt?: boolean;
}

interface Inputs extends AwsLocation {
  readonly login: AwsCredentials;
  readonly get: Readonly<Record<string, ParameterRef>>;
}

export const awsParameterStore: BuiltinProvider = {
  name: "aws-parameter-store",
  description: "parameters from AWS Systems Manager Parameter Store, by name (SecureString values secret)",
  inputSchema: {
    type: "object",
    properties: {
      login: awsCredentialsSchema,
      get: {
        type: "object",
        description: "NAME: {name, version?, decrypt?} for each parameter to read (at most 100)",
        maxProperties: 100,
        additionalProperties: {
          type: "object",
          properties: {
            name: stringSchema("the parameter's name or ARN", { minLength: 1 }),
            version: { type: "number", minimum: 1, multipleOf: 1, description: "a version; default the latest" },
            decrypt: { type: "boolean", description: "decrypt a SecureString; default true" },
          },
          required: ["name"],
          additionalProperties: false,
        },
      },
      ...awsLocationProperties,
    },
    required: ["login", "get"],
    additionalProperties: false,
  },
  outputSchema: { type: "object", additionalProperties: { type: "string" } },
  async open(raw, call) {
    const inputs = raw as unknown as Inputs;
    const client = new SSMClient(awsClientConfig(inputs, call, inputs.login));
    try {
      const entries = await Promise.all(
        Object.entries(inputs.get).map(async ([key, ref]): Promise<[string, unknown]> => {
          const name = ref.version === undefined ? ref.name : `${ref.name}:${ref.version}`;
          try {
            const out = await client.send(new GetParameterCommand({ Name: name, WithDecryption: ref.decrypt ?? true }), { abortSignal: call.signal });
            const p = out.Parameter;
            if (p?.Value === undefined) throw new ProviderError("no_value", `parameter ${JSON.stringify(name)} (${key}) has no value`);
            return [key, p.Type === "SecureString" ? secret(p.Value) : p.Value];
          } catch (err) {
            if (err instanceof ProviderError) throw err;
            throw describeAwsError(`GetParameter of ${JSON.stringify(name)} (${key})`, err);
          }
        }),
      );
      return Object.fromEntries(entries);
    } finally {
      client.destroy();
    }
  },
};
