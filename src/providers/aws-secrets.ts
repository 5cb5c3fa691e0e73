/**
 * `aws-secrets`: secret strings from AWS Secrets Manager, read with the credentials given (usually
 * `${aws.login}`), all at once. Every value is secret.
 */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { secret } from "../esc/index.js";
import { awsClientConfig, type AwsCredentials, type AwsLocation } from "./aws-client-config.js";
import type { BuiltinProvider } from "./builtin-provider.js";
import { describeAwsError, ProviderError } from "./provider-error.js";
import { awsCredentialsSchema, awsLocationProperties, stringSchema } from "./schemas.js";

interface SecretRef {
  readonly secretId: string;
  readonly versionId?: string;
  readonly versionStage?: string;
}

interface Inputs extends AwsLocation {
  readonly login: AwsCredentials;
  readonly get: Readonly<Record<string, SecretRef>>;
}

export const awsSecrets: BuiltinProvider = {
  name: "aws-secrets",
  description: "secret strings from AWS Secrets Manager, by name",
  inputSchema: {
    type: "object",
    properties: {
      login: awsCredentialsSchema,
      get: {
        type: "object",
        description: "NAME: {secretId, versionId?, versionStage?} for each secret to read (at most 100)",
        maxProperties: 100,
        additionalProperties: {
          type: "object",
          properties: {
            secretId: stringSchema("the secret's name or ARN", { minLength: 1 }),
            versionId: stringSchema("a version id; default the current version", { minLength: 1 }),
            versionStage: stringSchema("a staging label such as AWSPREVIOUS; default AWSCURRENT", { minLength: 1 }),
          },
          required: ["secretId"],
          additionalProperties: false,
        },
      },
      ...awsLocationProperties,
    },
    required: ["login", "get"],
    additionalProperties: false,
  },
  outputSchema: { type: "object", additionalProperties: { type: "string", secret: true }, secret: true },
  async open(raw, call) {
    const inputs = raw as unknown as Inputs;
    const client = new SecretsManagerClient(awsClientConfig(inputs, call, inputs.login));
    try {
      const entries = await Promise.all(
        Object.entries(inputs.get).map(async ([name, ref]): Promise<[string, string]> => {
          try {
            const out = await client.send(
              new GetSecretValueCommand({
                SecretId: ref.secretId,
                ...(ref.versionId === undefined ? {} : { VersionId: ref.versionId }),
                ...(ref.versionStage === undefined ? {} : { VersionStage: ref.versionStage }),
              }),
              { abortSignal: call.signal },
            );
            if (out.SecretString !== undefined) return [name, out.SecretString];
            if (out.SecretBinary !== undefined) return [name, Buffer.from(out.SecretBinary).toString("base64")];
            throw new ProviderError("no_value", `secret ${JSON.stringify(ref.secretId)} (${name}) has no value`);
          } catch (err) {
            if (err instanceof ProviderError) throw err;
            throw describeAwsError(`GetSecretValue of ${JSON.stringify(ref.secretId)} (${name})`, err);
          }
        }),
      );
      return secret(Object.fromEntries(entries));
    } finally {
      client.destroy();
    }
  },
};
