// The e2e stack, started by Playwright's webServer: a fresh migrated database, a real OIDC
// provider, then `npm start`'s own start script (which seeds the demo data and runs the app).
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startOidcServer } from '../fakes/oidc-server';
import { startSandboxCluster } from '../../sandbox/sandbox-cluster';
import { prepareTestDatabase } from '../../tests/integration/test-database';
import {
  E2E_BASE_URL,
  E2E_DB_NAME,
  E2E_EMBEDDED_PORT,
  E2E_METRICS_TOKEN,
  E2E_OIDC_CLIENT,
  E2E_OIDC_PORT,
  E2E_PORT,
  E2E_SANDBOX_PORT,
  E2E_SANDBOX_TOKEN,
  e2eDatabaseUrl,
} from './config';

const root = path.resolve(import.meta.dirname, '../..');
const database = await prepareTestDatabase(E2E_DB_NAME, E2E_EMBEDDED_PORT);
if (database.url !== e2eDatabaseUrl()) throw new Error(`e2e database URL mismatch: ${database.url} vs ${e2eDatabaseUrl()}`);
const oidc = await startOidcServer({
  port: E2E_OIDC_PORT,
  clientId: E2E_OIDC_CLIENT.id,
  clientSecret: E2E_OIDC_CLIENT.secret,
  redirectUri: `${E2E_BASE_URL}/api/auth/callback/oidc`,
});

// A fresh sandbox cluster per run (the database is fresh too), on a fixed port with a known token;
// scripts/start-services.ts uses it instead of starting its own.
const dataDir = path.join(root, '.data', 'e2e');
mkdirSync(dataDir, { recursive: true });
const sandboxState = path.join(dataDir, 'sandbox-cluster.json');
rmSync(sandboxState, { force: true });
// The demo's environments each have a named sandbox cluster (dev, staging, prod), kept here.
rmSync(path.join(dataDir, 'sandbox-clusters'), { recursive: true, force: true });
const sandbox = await startSandboxCluster({ stateFile: sandboxState, port: E2E_SANDBOX_PORT, token: E2E_SANDBOX_TOKEN });

// The operator's kubeconfig directory (INGRESS_GATE_KUBECONFIG_DIR): admins choose files from it by
// name. One file, pointing at the sandbox, so the admin specs can switch an environment to it.
const kubeconfigDir = path.join(dataDir, 'kubeconfigs');
mkdirSync(kubeconfigDir, { recursive: true });
writeFileSync(
  path.join(kubeconfigDir, 'staging.kubeconfig'),
  [
    'apiVersion: v1',
    'kind: Config',
    'clusters: [{ name: sandbox, cluster: { server: "' + sandbox.url + '", insecure-skip-tls-verify: true } }]',
    'users: [{ name: e2e, user: { token: "' + sandbox.token + '" } }]',
    'contexts: [{ name: sandbox, context: { cluster: sandbox, user: e2e } }]',
    'current-context: sandbox',
    '',
  ].join('\n'),
);

const app = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/start.ts')], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(E2E_PORT),
    DATABASE_URL: database.url,
    INGRESS_GATE_DEMO: '1',
    INGRESS_GATE_KUBECONFIG_DIR: kubeconfigDir,
    // The demo's prod change window would make prod specs depend on the time of day.
    INGRESS_GATE_DEMO_PROD_WINDOW: '0',
    INGRESS_GATE_DATA_DIR: dataDir,
    INGRESS_GATE_SANDBOX_URL: sandbox.url,
    INGRESS_GATE_SANDBOX_TOKEN: sandbox.token,
    AUTH_SECRET: 'D9Ed2kU9mVdb5gmgLidCEET0RHNJRyXyrPIjnADguwc=',
    AUTH_URL: E2E_BASE_URL,
    INGRESS_GATE_SECRET_KEY: 'X8KYHC3XQtvL/4LvPHzm/3xzMrMgzr0suBnJPbFM/0k=',
    OIDC_ISSUER: oidc.issuer,
    OIDC_CLIENT_ID: E2E_OIDC_CLIENT.id,
    OIDC_CLIENT_SECRET: E2E_OIDC_CLIENT.secret,
    OIDC_DISPLAY_NAME: 'Test SSO',
    NEXT_TELEMETRY_DISABLED: '1',
    // Notifications: mail is caught locally (listed at /mail); failed deliveries retry quickly.
    INGRESS_GATE_LOCAL_MAIL: '1',
    NOTIFY_RETRY_BASE_MS: '300',
    METRICS_TOKEN: E2E_METRICS_TOKEN,
  },
});

async function stop() {
  app.kill('SIGTERM');
  await sandbox.stop().catch(() => {});
  await oidc.stop().catch(() => {});
  await database.stop().catch(() => {});
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
app.on('exit', (code) => {
  void sandbox.stop().catch(() => {});
  void oidc.stop().finally(() => database.stop().finally(() => process.exit(code ?? 1)));
});
