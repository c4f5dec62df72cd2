import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from './helpers';

// The real entry points, as an operator runs them: `npm start` (scripts/start.ts) and
// `npm run worker` (lib/worker/main.ts). A published placeholder must stop them before they
// touch the database, with a message that says what to do.

const dataDir = mkdtempSync(path.join(tmpdir(), 'ig-secrets-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const GOOD = 'amy9ZtUPy+ZjPfWmnNEq56TETpUx38IB8QOxSwbjgWc=';

function run(entry: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry], {
      cwd: path.resolve('.'),
      env: {
        NODE_ENV: 'production',
        PATH: process.env.PATH ?? '',
        DATABASE_URL: testDatabaseUrl(),
        INGRESS_GATE_DATA_DIR: dataDir,
        INGRESS_GATE_NO_WORKER: '1',
        PORT: '1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Both streams: the worker logs through pino (JSON on stdout), start.ts to stderr.
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('start-up refuses placeholder secrets', () => {
  it.each([
    ['npm start', 'scripts/start.ts', '[ingress-gate] cannot start'],
    ['npm run worker', 'lib/worker/main.ts', 'cannot start'],
  ])(
    '%s with the AUTH_SECRET docker-compose.yml used to ship exits 2 and says how to make one',
    async (_name, entry, prefix) => {
      const { code, stderr } = await run(entry, {
        AUTH_SECRET: 'change-me-change-me-change-me-change-me',
        INGRESS_GATE_SECRET_KEY: GOOD,
      });
      expect(code).toBe(2);
      expect(stderr).toContain(prefix);
      expect(stderr).toContain(
        'AUTH_SECRET is a placeholder published in this repository, so anyone can know it. Generate one with: openssl rand -base64 32',
      );
    },
    90_000,
  );

  it('npm start names both secrets when both are weak', async () => {
    const { code, stderr } = await run('scripts/start.ts', {
      AUTH_SECRET: 'my-own-secret-value-for-the-gate-ok',
      INGRESS_GATE_SECRET_KEY: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    });
    expect(code).toBe(2);
    expect(stderr).toContain('AUTH_SECRET looks like a placeholder (it contains "secret"). Generate one with: openssl rand -base64 32');
    expect(stderr).toContain('INGRESS_GATE_SECRET_KEY is not random: it repeats "aaaaaaaa". Generate one with: openssl rand -base64 32');
  }, 90_000);
});
