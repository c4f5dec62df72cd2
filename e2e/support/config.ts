// Fixed addresses of the e2e stack, shared by playwright.config.ts, the server script and specs.
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_BASE_URL = `http://localhost:${E2E_PORT}`;
export const E2E_OIDC_PORT = Number(process.env.E2E_OIDC_PORT ?? 3901);
export const E2E_OIDC_ISSUER = `http://127.0.0.1:${E2E_OIDC_PORT}`;
export const E2E_OIDC_CLIENT = { id: 'ingress-gate-e2e', secret: 'ingress-gate-e2e-secret' };
const EMBEDDED_PORT = Number(process.env.E2E_PG_PORT ?? 54341);
export const E2E_DB_NAME = 'ingress_gate_e2e';

export function e2eDatabaseUrl(): string {
  const base = new URL(process.env.TEST_DATABASE_URL ?? `postgresql://postgres:postgres@127.0.0.1:${EMBEDDED_PORT}/postgres`);
  // prepareTestDatabase appends TEST_DB_SUFFIX the same way (tests/integration/test-database.ts).
  base.pathname = process.env.TEST_DB_SUFFIX ? `/${E2E_DB_NAME}_${process.env.TEST_DB_SUFFIX}` : `/${E2E_DB_NAME}`;
  return base.toString();
}
export const E2E_EMBEDDED_PORT = EMBEDDED_PORT;

// The sandbox cluster the e2e app uses, started by e2e-server.ts on a fixed port with a known
// token so specs can read and change live objects behind the app's back (the STALE case).
export const E2E_SANDBOX_PORT = Number(process.env.E2E_SANDBOX_PORT ?? 3902);
export const E2E_SANDBOX_URL = `http://127.0.0.1:${E2E_SANDBOX_PORT}`;
export const E2E_SANDBOX_TOKEN = 'e2e-sandbox-token-not-a-secret';

// /api/metrics is protected by a bearer token; the e2e app gets this one.
export const E2E_METRICS_TOKEN = 'e2e-metrics-token-not-a-secret';
