// The real `openesc serve` process (bin/openesc.js, built into dist/ by `npm run build`), shared
// with the repository's own end-to-end tests.
export { startTestServer, type TestServer } from "../../../../test/support/server.js";
