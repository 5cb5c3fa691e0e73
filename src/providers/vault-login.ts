/**
 * `vault-login`: a Vault (or OpenBao) token. `jwt` logs in through Vault's JWT auth method with a
 * freshly issued OIDC token (Vault verifies it against this server's JWKS and the role's bound
 * claims); `token` passes a given token through.
 */
import { secret } from "../esc/index.js";
import type { SubjectAttribute } from "../oidc/index.js";
import type { BuiltinProvider } from "./builtin-provider.js";
import { invalidInput, ProviderError } from "./provider-error.js";
import { oidcTokenProperties, secretString, stringSchema } from "./schemas.js";
import { createVaultClient } from "./vault-client.js";

interface Inputs {
  readonly address: string;
  readonly namespace?: string;
  readonly jwt?: { readonly role: string; readonly mount?: string; readonly audience?: string; readonly subjectAttributes?: readonly SubjectAttribute[] };
  readonly token?: { readonly token: string };
}

export const vaultLogin: BuiltinProvider = {
  name: "vault-login",
  description: "a Vault token: a JWT login with an OIDC token issued by this server, or a given token passed through",
  inputSchema: {
    type: "object",
    properties: {
      address: stringSchema("Vault's address, e.g. https://vault.example.com:8200", { pattern: "^https?://" }),
      namespace: stringSchema("the Vault Enterprise namespace; default none"),
      jwt: {
        type: "object",
        properties: {
          role: stringSchema("the JWT auth role to log in as", { minLength: 1 }),
          mount: stringSchema("the JWT auth method's mount path; default jwt", { minLength: 1, pattern: "^[\\w.-][\\w./-]*$" }),
          ...oidcTokenProperties,
        },
        required: ["role"],
        additionalProperties: false,
      },
      token: { type: "object", properties: { token: secretString("a Vault token") }, required: ["token"], additionalProperties: false },
    },
    required: ["address"],
    additionalProperties: false,
  },
  outputSchema: {
    type: "object",
    properties: { address: stringSchema("Vault's address"), namespace: stringSchema("the namespace, empty for none"), token: secretString("the Vault token") },
    required: ["address", "namespace", "token"],
    additionalProperties: false,
  },
  async open(raw, call) {
    const inputs = raw as unknown as Inputs;
    if ((inputs.jwt === undefined) === (inputs.token === undefined)) throw invalidInput("exactly one of 'jwt' or 'token' is required");
    const out = (token: string) => ({ address: inputs.address, namespace: inputs.namespace ?? "", token: secret(token) });
    if (inputs.token !== undefined) return out(inputs.token.token);
    const jwt = inputs.jwt as NonNullable<Inputs["jwt"]>;
    const mount = jwt.mount ?? "jwt";
    const token = await call.issueToken({
      platform: "vault",
      ...(jwt.audience === undefined ? {} : { audience: jwt.audience }),
      ...(jwt.subjectAttributes === undefined ? {} : { subjectAttributes: jwt.subjectAttributes }),
    });
    const vault = createVaultClient(inputs, undefined, call);
    let res: Awaited<ReturnType<typeof vault.write>>;
    try {
      res = await vault.write(`auth/${mount}/login`, { role: jwt.role, jwt: token }, `login to auth/${mount} as role ${JSON.stringify(jwt.role)}`);
    } finally {
      vault.close();
    }
    const clientToken = res.auth?.client_token;
    if (typeof clientToken !== "string" || clientToken === "") throw new ProviderError("no_token", `login to auth/${mount} returned no token`);
    return out(clientToken);
  },
};
