/**
 * `aws-login`: temporary AWS credentials. `oidc` exchanges a freshly issued OIDC token with STS
 * AssumeRoleWithWebIdentity (the role's trust policy names this server as identity provider);
 * `static` passes given credentials through so other providers can take them from one place.
 */
import { AssumeRoleWithWebIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { secret, type Json } from "../esc/index.js";
import type { SubjectAttribute } from "../oidc/index.js";
import { awsClientConfig, type AwsLocation } from "./aws-client-config.js";
import type { BuiltinProvider } from "./builtin-provider.js";
import { formatDuration, parseDurationSeconds } from "./duration.js";
import { describeAwsError, invalidInput, ProviderError } from "./provider-error.js";
import { awsCredentialsSchema, awsLocationProperties, oidcTokenProperties, secretString, stringSchema } from "./schemas.js";

const MIN_DURATION_S = 900;
const MAX_DURATION_S = 43_200;
const DEFAULT_DURATION_S = 3600;

interface OidcInputs {
  readonly roleArn: string;
  readonly sessionName: string;
  readonly duration?: string;
  readonly policyArns?: readonly string[];
  readonly audience?: string;
  readonly subjectAttributes?: readonly SubjectAttribute[];
}

interface Inputs extends AwsLocation {
  readonly oidc?: OidcInputs;
  readonly static?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
}

export const awsLogin: BuiltinProvider = {
  name: "aws-login",
  description: "temporary AWS credentials: an OIDC token exchanged with STS AssumeRoleWithWebIdentity, or static credentials passed through",
  inputSchema: {
    type: "object",
    properties: {
      oidc: {
        type: "object",
        properties: {
          roleArn: stringSchema("the ARN of the role to assume", { pattern: "^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]+$" }),
          sessionName: stringSchema("the role session name (2–64 characters: letters, digits, +=,.@_-)", { minLength: 2, maxLength: 64, pattern: "^[\\w+=,.@-]+$" }),
          duration: stringSchema("how long the credentials last, 15m–12h (e.g. 1h, 90m); default 1h", { pattern: "^[0-9][0-9hms]*[hms]$" }),
          policyArns: { type: "array", maxItems: 10, description: "managed policies that further restrict the session (at most 10)", items: stringSchema("a policy ARN", { pattern: "^arn:aws[a-z-]*:iam::" }) },
          ...oidcTokenProperties,
        },
        required: ["roleArn", "sessionName"],
        additionalProperties: false,
      },
      static: { ...(awsCredentialsSchema as Record<string, Json>), additionalProperties: false },
      ...awsLocationProperties,
    },
    additionalProperties: false,
  },
  outputSchema: {
    type: "object",
    properties: {
      accessKeyId: stringSchema("the access key id"),
      secretAccessKey: secretString("the secret access key"),
      sessionToken: secretString("the session token"),
    },
    required: ["accessKeyId", "secretAccessKey", "sessionToken"],
    additionalProperties: false,
  },
  async open(raw, call) {
    const inputs = raw as unknown as Inputs;
    if ((inputs.oidc === undefined) === (inputs.static === undefined)) throw invalidInput("exactly one of 'oidc' or 'static' is required");
    if (inputs.static !== undefined) {
      const s = inputs.static;
      return { accessKeyId: s.accessKeyId, secretAccessKey: secret(s.secretAccessKey), sessionToken: secret(s.sessionToken ?? "") };
    }
    const oidc = inputs.oidc as OidcInputs;
    const duration = oidc.duration === undefined ? DEFAULT_DURATION_S : parseDurationSeconds(oidc.duration);
    if (duration === undefined || duration < MIN_DURATION_S || duration > MAX_DURATION_S) {
      throw invalidInput(`duration must be between ${formatDuration(MIN_DURATION_S)} and ${formatDuration(MAX_DURATION_S)}, got ${JSON.stringify(oidc.duration)}`);
    }
    const token = await call.issueToken({
      platform: "aws",
      ...(oidc.audience === undefined ? {} : { audience: oidc.audience }),
      ...(oidc.subjectAttributes === undefined ? {} : { subjectAttributes: oidc.subjectAttributes }),
    });
    const sts = new STSClient(awsClientConfig(inputs, call));
    try {
      const out = await sts.send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: oidc.roleArn,
          RoleSessionName: oidc.sessionName,
          WebIdentityToken: token,
          DurationSeconds: duration,
          ...(oidc.policyArns === undefined ? {} : { PolicyArns: oidc.policyArns.map((arn) => ({ arn })) }),
        }),
        { abortSignal: call.signal },
      );
      const c = out.Credentials;
      if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined || c.SessionToken === undefined) {
        throw new ProviderError("no_credentials", "AssumeRoleWithWebIdentity returned no credentials");
      }
      return { accessKeyId: c.AccessKeyId, secretAccessKey: secret(c.SecretAccessKey), sessionToken: secret(c.SessionToken) };
    } catch (err) {
      if (err instanceof ProviderError) throw err;
      throw describeAwsError(`AssumeRoleWithWebIdentity of ${oidc.roleArn}`, err);
    } finally {
      sts.destroy();
    }
  },
};
