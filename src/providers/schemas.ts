/** JSON Schema pieces shared by the built-in providers. */
import type { Json } from "../esc/index.js";
import { SUBJECT_ATTRIBUTES } from "../oidc/index.js";

export const stringSchema = (description: string, extra: Record<string, Json> = {}): Json => ({ type: "string", description, ...extra });

export const secretString = (description: string): Json => ({ type: "string", secret: true, description });

/** `audience` and `subjectAttributes` of a provider that exchanges an OIDC token. */
export const oidcTokenProperties: Readonly<Record<string, Json>> = {
  audience: stringSchema("the token's audience; default PLATFORM:ORG (aws:ORG, vault:ORG)", { minLength: 1 }),
  subjectAttributes: {
    type: "array",
    maxItems: 5,
    description: "facts that make up the token's subject, in order, after the organization",
    items: { type: "string", enum: [...SUBJECT_ATTRIBUTES] },
  },
};

/** AWS credentials as aws-login outputs them and the AWS providers take them. */
export const awsCredentialsSchema: Json = {
  type: "object",
  properties: {
    accessKeyId: stringSchema("the access key id", { minLength: 1 }),
    secretAccessKey: secretString("the secret access key"),
    sessionToken: secretString("the session token of temporary credentials"),
  },
  required: ["accessKeyId", "secretAccessKey"],
};

/** An AWS region and an endpoint override (tests, private endpoints). */
export const awsLocationProperties: Readonly<Record<string, Json>> = {
  region: stringSchema("the AWS region; default us-east-1", { minLength: 1 }),
  endpoint: stringSchema("an endpoint URL overriding AWS's (e.g. a VPC endpoint); default the server's --aws-endpoint-url, else AWS", { pattern: "^https?://" }),
};
