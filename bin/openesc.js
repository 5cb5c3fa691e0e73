#!/usr/bin/env node
// The one binary: server and client. Compiled code lives in dist/ (built by `npm install` via `prepare`).
import { main } from "../dist/src/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
