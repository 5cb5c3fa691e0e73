/**
 * Vitest global setup: makes a PostgreSQL server available to every test worker through
 * `OPENESC_TEST_POSTGRES_URL` (set in this process before the workers fork, and also `provide`d).
 * Uses the variable when already set, else starts a throwaway cluster from the local binaries,
 * else warns loudly: the Postgres cases then skip visibly.
 */
import type { TestProject } from "vitest/node";
import { POSTGRES_URL_ENV, startTestPostgres } from "./support/postgres.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The admin URL of the test PostgreSQL server; "" when Postgres tests are skipped. */
    openescPostgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startTestPostgres();
  if (server === undefined) {
    const line = "*".repeat(72);
    console.warn(`\n${line}\n*** PostgreSQL not found: Postgres tests SKIPPED ***\n` +
      `*** install PostgreSQL (e.g. apt-get install postgresql) or set ${POSTGRES_URL_ENV} ***\n${line}\n`);
    project.provide("openescPostgresUrl", "");
    return async () => {};
  }
  process.env[POSTGRES_URL_ENV] = server.url;
  project.provide("openescPostgresUrl", server.url);
  if (server.started) console.info(`[global-setup] throwaway PostgreSQL at ${server.url}`);
  return async () => {
    await server.stop();
  };
}
