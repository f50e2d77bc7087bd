// Playwright: Chromium (Debian's /usr/bin/chromium) against the production build served by
// lib/server/main.ts on a fresh data folder. Specs run in file order, one worker, because they
// share one instance whose first-run setup is itself under test.
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';

const ROOT = path.resolve(import.meta.dirname, '..');
const ARTIFACTS = path.join(ROOT, 'e2e/.artifacts');
const PORT = Number(process.env.E2E_PORT ?? 3210);
export const BASE_URL = `http://127.0.0.1:${PORT}`;
/** Passkeys need a domain as RP ID (Chromium refuses IP addresses): e2e/ui/09-second-factor.spec.ts opens this one. */
export const PASSKEY_URL = `http://localhost:${PORT}`;
/** The T-Invest emulator the e2e server talks to: production, sandbox and admin ports. */
const EMULATOR_PORTS = { production: PORT + 81, sandbox: PORT + 82, admin: PORT + 83 };
export const EMULATOR_ADMIN_URL = `http://127.0.0.1:${EMULATOR_PORTS.admin}`;
/** The T-API emulator: HTTPS (normal methods), mTLS (secure methods) and admin ports; its CA is kept in the artifacts. */
const TAPI_PORTS = { main: PORT + 84, secure: PORT + 85, admin: PORT + 86 };
export const TAPI_EMULATOR_ADMIN_URL = `http://127.0.0.1:${TAPI_PORTS.admin}`;
const TAPI_CA_DIR = path.join(ARTIFACTS, 'tapi-ca');
/** The OpenID provider e2e/ui/08-sso.spec.ts starts (oidc-provider), and how Strongroom knows it. */
export const OIDC_PORT = PORT + 90;
export const OIDC_PROVIDER = {
  id: 'e2e-idp',
  label: 'Test IdP',
  issuer: `http://127.0.0.1:${OIDC_PORT}`,
  clientId: 'strongroom-e2e',
  clientSecret: 'e2e-client-secret-not-for-production',
  allowedDomains: ['strongroom.test'],
};

export default defineConfig({
  testDir: '.',
  testMatch: ['ui/**/*.spec.ts', 'api/**/*.spec.ts'],
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  outputDir: path.join(ARTIFACTS, 'test-results'),
  globalSetup: './global-setup.ts',
  // The final secret scan (e2e/secret-scan.ts), after every spec and before the servers stop.
  globalTeardown: './global-teardown.ts',
  use: {
    baseURL: BASE_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: [
    {
      command: `mkdir -p "${ARTIFACTS}" && exec npx tsx emulator/tinvest/cli.ts --port ${EMULATOR_PORTS.production} --sandbox-port ${EMULATOR_PORTS.sandbox} --admin-port ${EMULATOR_PORTS.admin} > "${ARTIFACTS}/emulator.log" 2>&1`,
      cwd: ROOT,
      url: `${EMULATOR_ADMIN_URL}/healthz`,
      timeout: 60_000,
      reuseExistingServer: false,
    },
    {
      command: `mkdir -p "${ARTIFACTS}" && exec npx tsx emulator/tapi/cli.ts --port ${TAPI_PORTS.main} --secure-port ${TAPI_PORTS.secure} --admin-port ${TAPI_PORTS.admin} --ca-dir "${TAPI_CA_DIR}" > "${ARTIFACTS}/tapi-emulator.log" 2>&1`,
      cwd: ROOT,
      url: `${TAPI_EMULATOR_ADMIN_URL}/healthz`,
      timeout: 60_000,
      reuseExistingServer: false,
    },
    {
      // The compiled server `npm start` runs, compiled afresh (about a second) so it matches the sources.
      command: `rm -rf "${ARTIFACTS}/data" && mkdir -p "${ARTIFACTS}" && npm run --silent build:server && exec node .next/strongroom/main.mjs > "${ARTIFACTS}/server.log" 2>&1`,
      cwd: ROOT,
      url: `${BASE_URL}/api/health`,
      timeout: 120_000,
      reuseExistingServer: false,
      env: {
        PORT: String(PORT),
        HOST: '127.0.0.1',
        STRONGROOM_DATA_DIR: path.join(ARTIFACTS, 'data'),
        STRONGROOM_PUBLIC_URL: BASE_URL,
        STRONGROOM_PASSKEY_ORIGIN: PASSKEY_URL,
        LOG_LEVEL: 'info',
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        TINVEST_PRODUCTION_ADDRESS: `127.0.0.1:${EMULATOR_PORTS.production}`,
        TINVEST_SANDBOX_ADDRESS: `127.0.0.1:${EMULATOR_PORTS.sandbox}`,
        TAPI_PRODUCTION_URL: `https://127.0.0.1:${TAPI_PORTS.main}/openapi`,
        TAPI_SECURED_URL: `https://127.0.0.1:${TAPI_PORTS.secure}`,
        TAPI_CA_FILE: path.join(TAPI_CA_DIR, 'ca.pem'),
        STRONGROOM_EGRESS_IPS: '127.0.0.1',
        STRONGROOM_OIDC_PROVIDERS: JSON.stringify([OIDC_PROVIDER]),
        // Upstreams close 2 s after their last viewer, so the e2e can watch them go.
        STREAM_GRACE_SECONDS: '2',
      },
    },
  ],
});
