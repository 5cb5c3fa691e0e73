/** Settings shared by the AWS SDK clients of the providers. */
import type { ProviderCall } from "./builtin-provider.js";

export interface AwsLocation {
  readonly region?: string;
  readonly endpoint?: string;
}

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export const DEFAULT_AWS_REGION = "us-east-1";

/**
 * A client configuration: region, the endpoint override (inputs, then the server's), the credentials
 * given (never the process's default chain: an environment only uses what it names), and one retry.
 */
export function awsClientConfig(location: AwsLocation, call: ProviderCall, credentials?: AwsCredentials) {
  const endpoint = location.endpoint ?? call.awsEndpoint;
  return {
    region: location.region ?? DEFAULT_AWS_REGION,
    ...(endpoint === undefined ? {} : { endpoint }),
    // Calls that need no signature (AssumeRoleWithWebIdentity) get placeholder credentials so the SDK
    // never searches the server's own environment, files or instance metadata for any.
    credentials: credentials === undefined ? { accessKeyId: "openesc-unsigned", secretAccessKey: "openesc-unsigned" } : withoutEmptyToken(credentials),
    maxAttempts: 2,
  };
}

// Long-lived keys have no session token; `aws-login` static outputs "" for it, which must not be sent.
function withoutEmptyToken(c: AwsCredentials): AwsCredentials {
  return c.sessionToken === undefined || c.sessionToken === "" ? { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey } : c;
}
