import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { capture, exitOf, freePort } from './process-tree';

// Issue 14, "start and stop": run as root from a directory other users cannot traverse (a clone
// under /root, or in `mktemp -d`), `npm start` died with an unhandled `spawn …/initdb EACCES` —
// embedded PostgreSQL runs as the OS user `postgres`. Now it stops at once with a message saying
// exactly what to do. Only root can reproduce this (as anyone else the server runs as that user).

const root = path.resolve(import.meta.dirname, '../../..');
const isRoot = process.getuid?.() === 0;

describe('npm start as root', () => {
  it.skipIf(!isRoot)(
    'with its data in a directory `postgres` cannot enter: exits 2 naming the directory and the fixes',
    async () => {
      const locked = mkdtempSync(path.join(tmpdir(), 'ingress-gate-root-')); // mode 0700, owned by root
      const dataDir = path.join(locked, 'clone', '.data');
      mkdirSync(dataDir, { recursive: true });
      try {
        const env: Record<string, string | undefined> = {
          ...process.env,
          INGRESS_GATE_DATA_DIR: dataDir,
          EMBEDDED_PG_PORT: String(await freePort()),
        };
        delete env.DATABASE_URL;
        delete env.NODE_ENV;
        const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/start.ts')], {
          cwd: root,
          env: env as NodeJS.ProcessEnv,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const output = capture(child);
        const exit = await Promise.race([exitOf(child), new Promise<null>((r) => setTimeout(() => r(null), 60_000))]);
        if (exit === null) child.kill('SIGKILL');
        const text = output.text();
        expect(exit, text).not.toBeNull();
        expect(exit!.code, text).toBe(2);
        expect(text).not.toContain('EACCES');
        expect(text).toContain('cannot start: the embedded PostgreSQL runs as the OS user "postgres"');
        expect(text).toContain(`${locked} has mode 700`);
        expect(text).toContain('set DATABASE_URL');
        expect(text).toContain('set INGRESS_GATE_DATA_DIR');
        expect(text).toContain(`chmod o+x ${locked}`);
      } finally {
        rmSync(locked, { recursive: true, force: true });
      }
    },
    90_000,
  );
});
