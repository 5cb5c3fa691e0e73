import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "sdks/typescript/test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "dist/**", "sdks/go/**", "sdks/python/**", "sdks/typescript/src/**", "sdks/typescript/dist/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ["test/global-setup.ts"],
    pool: "forks",
  },
});
