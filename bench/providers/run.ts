// `npm run bench:providers`: what dynamic credentials cost. (1) Signing one OIDC token in process
// (RS256, the active key cached). (2) Opening, through the real server over Connect, an environment
// whose vault-login (jwt) + vault-secrets chain runs against a real OpenBao dev server that verifies
// each token against the server's JWKS — and the same with 26 imports each doing it. Sequential
// opens, BENCH_OPENS (default 40) of each after 5 warm-ups. Needs `bao` (scripts/setup-tools.sh).
import { performance } from "node:perf_hooks";
import { OpenService } from "../../src/gen/openesc/v1/open_pb.js";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { createLocalKeyProvider, createSecretCrypto } from "../../src/crypto/index.js";
import { createOidcIssuer, createSigningKeys } from "../../src/oidc/index.js";
import { createOidcKeyRepository, openStore } from "../../src/store/index.js";
import { clientFor } from "../../test/support/clients.js";
import { freePort, requireVenvTool } from "../../test/support/moto.js";
import { startOpenBao } from "../../test/support/openbao.js";
import { startTestServer } from "../../test/support/server.js";
import { machineLine, writeResultsSection } from "../support/results-file.js";

const OPENS = Number(process.env.BENCH_OPENS ?? 40);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function signing(): Promise<string> {
  const store = await openStore({ url: ":memory:" });
  await store.migrate();
  const sealer = createSecretCrypto({ keys: store.keys, provider: createLocalKeyProvider({ dataDir: "/nonexistent", masterKey: Buffer.alloc(32, 1).toString("base64") }) });
  const keys = createSigningKeys({ repository: createOidcKeyRepository(store.db), sealer, refreshMs: 60_000 });
  const issuer = createOidcIssuer({ keys, publicUrl: () => "https://esc.example.com" });
  const facts = { org: "acme", currentEnvironment: "app/prod", rootEnvironment: "app/prod", userLogin: "ada", tokenType: "personal" };
  for (let i = 0; i < 50; i++) await issuer.issue({ platform: "vault", facts });
  const n = 1000;
  const started = performance.now();
  for (let i = 0; i < n; i++) await issuer.issue({ platform: "vault", facts });
  const ms = performance.now() - started;
  await store.close();
  return `| sign one OIDC token (RS256, in process) | ${(ms / n).toFixed(2)} ms | ${Math.round((n * 1000) / ms)} tokens/s |`;
}

async function opens(): Promise<string[]> {
  const bao = requireVenvTool("bao");
  if (bao === undefined) return ["| (bao not installed: open figures skipped) | | |"];
  const vault = await startOpenBao(bao);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = await startTestServer({ args: ["--listen", `127.0.0.1:${port}`, "--public-url", url], env: { OPENESC_LOG_LEVEL: "warn" } });
  try {
    await vault.root.write("sys/auth/jwt", { type: "jwt" });
    await vault.root.write("auth/jwt/config", { oidc_discovery_url: url, bound_issuer: url });
    await vault.root.write("secret/data/app", { data: { password: "pw" } });
    await vault.root.write("sys/policies/acl/app", { policy: 'path "secret/data/app" { capabilities = ["read"] }\n' });
    await vault.root.write("auth/jwt/role/app", { role_type: "jwt", user_claim: "trigger_user", bound_audiences: ["vault:default"], token_policies: ["app"], token_ttl: "5m" });
    const environments = clientFor(EnvironmentService, "connect", server.url, server.token);
    const chain = (key: string) =>
      `values:\n  ${key}:\n    fn::open::vault-secrets:\n      login:\n        fn::open::vault-login: { address: ${vault.address}, jwt: { role: app } }\n      read: { a: { path: secret/app, field: password }, b: { path: secret/app } }\n`;
    await environments.createEnvironment({ org: "default", project: "bench", environment: "one", definition: chain("v") });
    const letters = "abcdefghijklmnopqrstuvwxyz".split("");
    for (const l of letters) await environments.createEnvironment({ org: "default", project: "bench", environment: `i-${l}`, definition: chain(l) });
    await environments.createEnvironment({ org: "default", project: "bench", environment: "all", definition: `imports:\n${letters.map((l) => `  - bench/i-${l}\n`).join("")}` });
    const open = clientFor(OpenService, "connect", server.url, server.token);
    const rows: string[] = [];
    for (const [name, label] of [["one", "open: vault-login (jwt, verified by OpenBao) + 2 KV reads"], ["all", "open: 26 imports, each that chain"]] as const) {
      for (let i = 0; i < 5; i++) await open.resolveEnvironment({ org: "default", project: "bench", environment: name });
      const times: number[] = [];
      for (let i = 0; i < OPENS; i++) {
        const t = performance.now();
        await open.resolveEnvironment({ org: "default", project: "bench", environment: name });
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      rows.push(`| ${label} | p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms | ${OPENS} sequential opens |`);
    }
    return rows;
  } finally {
    await server.stop();
    await vault.stop();
  }
}

const rows = [await signing(), ...(await opens())];
const table = ["| what | time | note |", "|---|---|---|", ...rows].join("\n");
console.log(table);
writeResultsSection(
  "providers",
  `## Dynamic credentials (\`npm run bench:providers\`)\n\n${machineLine()}. OpenBao dev server on loopback; the OpenESC server is the built \`dist/\` on SQLite.\n\n${table}\n`,
);
