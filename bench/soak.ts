/**
 * Soak bench of the web server (issue 19, "Memory"): `next start` (the production build in .next —
 * run `npm run build` first) on the scale data set (bench/scale-seed.ts), signed in through the
 * real credentials endpoint, then thousands of page requests from a few concurrent clients over the
 * inbox (first page, deep cursor, filtered), request pages, the audit page (filters matching
 * nothing and everything), drift and the REST list. Prints the server's RSS every `--every`
 * requests and p50 / p95 per page; after warm-up the RSS should stay flat.
 *
 *   node_modules/.bin/tsx bench/soak.ts [--requests 3000] [--every 250] [--clients 4] [--port $PORT] [--only REST]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { BENCH_PASSWORD, scaleServer, seedScale } from './scale-seed';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const total = Number(arg('requests', '3000'));
const every = Number(arg('every', '250'));
const clients = Number(arg('clients', '4'));
const port = Number(arg('port', process.env.PORT ?? '3100'));
const base = `http://127.0.0.1:${port}`;

/** Resident memory of a process and its descendants, from /proc (Linux). */
function rssOfTree(pid: number): number {
  const children = (p: number): number[] => {
    try {
      return readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  const all = [pid];
  for (let i = 0; i < all.length; i += 1) all.push(...children(all[i]!));
  let kb = 0;
  for (const p of all) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return kb * 1024;
}

/** next-auth's credentials sign-in over HTTP: CSRF token, then the callback; returns the cookie header. */
async function signIn(email: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const csrf = await fetch(`${base}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie(), origin: base },
    body: new URLSearchParams({ email, password: BENCH_PASSWORD, csrfToken, callbackUrl: `${base}/` }),
  });
  keep(res);
  const check = await fetch(`${base}/`, { headers: { cookie: cookie() }, redirect: 'manual' });
  if (check.status !== 200) throw new Error(`sign-in failed: / answered ${check.status} (${res.status} ${res.headers.get('location')})`);
  return cookie();
}

async function waitForServer(): Promise<void> {
  for (let i = 0; i < 240; i += 1) {
    try {
      // Any answer will do: /api/health says 503 without a worker heartbeat, which this bench does not run.
      await fetch(`${base}/sign-in`, { redirect: 'manual' });
      return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('next start did not answer within 2 minutes');
}

const db = await scaleServer();
const world = await seedScale(db.url, { isFresh: false });
const sql = new pg.Client({ connectionString: db.url });
await sql.connect();
const { rows: ids } = await sql.query<{ id: string }>(`SELECT id::text FROM change_requests ORDER BY number DESC LIMIT 200`);
const { rows: deep } = await sql.query<{ t: Date; id: string }>(
  `SELECT created_at AS t, id::text FROM change_requests ORDER BY created_at DESC, id DESC OFFSET 49999 LIMIT 1`,
);
await sql.end();
const deepCursor = Buffer.from(JSON.stringify({ t: deep[0]!.t.toISOString(), id: deep[0]!.id })).toString('base64url');

const server = spawn(path.join(root, 'node_modules/.bin/next'), ['start', '-p', String(port), '-H', '127.0.0.1'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: db.url,
    AUTH_SECRET: randomBytes(32).toString('base64'),
    AUTH_URL: base,
    INGRESS_GATE_SECRET_KEY: randomBytes(32).toString('base64'),
    NEXT_TELEMETRY_DISABLED: '1',
  },
});
try {
  await waitForServer();
  const cookie = await signIn('scale-admin-0001@example.com');
  const pages: [string, (i: number) => string][] = [
    ['inbox', () => '/'],
    ['inbox page 2,000', () => `/?cursor=${deepCursor}`],
    ['inbox filtered', () => '/?environment=scale-03&status=APPLIED&q=web-42'],
    ['request page', (i) => `/requests/${ids[i % ids.length]!.id}`],
    ['audit', () => '/audit'],
    ['audit, nothing', () => '/audit?actor=no-such-actor'],
    ['drift', () => '/drift'],
    ['REST list', () => '/api/v1/change-requests?limit=100'],
  ];
  // --only <substring>: soak one kind of page, to tell which one grows the heap.
  const only = arg('only', '');
  const chosen = pages.filter(([name]) => name.includes(only));
  pages.splice(0, pages.length, ...chosen);
  const times = new Map<string, number[]>(pages.map(([name]) => [name, []]));
  const start = rssOfTree(server.pid!);
  console.log(
    `next start pid ${server.pid}; ${world.requests.toLocaleString('en')} requests, ${world.events.toLocaleString('en')} events in the database`,
  );
  console.log(`requests   server RSS (process tree)`);
  console.log(`${'0'.padStart(8)}   ${(start / 1048576).toFixed(0)} MB (after sign-in)`);
  let next = 0;
  let failures = 0;
  const samples: number[] = [];
  const worker = async () => {
    for (let i = next++; i < total; i = next++) {
      const [name, url] = pages[i % pages.length]!;
      const t0 = performance.now();
      const res = await fetch(`${base}${url(i)}`, { headers: { cookie }, redirect: 'manual' });
      await res.arrayBuffer();
      times.get(name)!.push(performance.now() - t0);
      if (res.status !== 200) failures += 1;
      if ((i + 1) % every === 0) {
        const rss = rssOfTree(server.pid!);
        samples.push(rss);
        console.log(`${String(i + 1).padStart(8)}   ${(rss / 1048576).toFixed(0)} MB`);
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, worker));
  const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
  console.log(`\npage                 n     p50 ms   p95 ms   (whole response, ${clients} clients)`);
  for (const [name, xs] of times)
    console.log(
      `${name.padEnd(18)} ${String(xs.length).padStart(5)}   ${pct(xs, 50).toFixed(0).padStart(6)}   ${pct(xs, 95).toFixed(0).padStart(6)}`,
    );
  const warm = samples.slice(Math.floor(samples.length / 3));
  if (warm.length >= 2)
    console.log(
      `\nRSS after warm-up (last ${warm.length} samples): ${(Math.min(...warm) / 1048576).toFixed(0)}–${(Math.max(...warm) / 1048576).toFixed(0)} MB; first → last ${(warm[0]! / 1048576).toFixed(0)} → ${(warm.at(-1)! / 1048576).toFixed(0)} MB; non-200 answers: ${failures}`,
    );
} finally {
  server.kill('SIGTERM');
  await db.stop();
}
