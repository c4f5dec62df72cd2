import { type KubeConfig, Watch } from '@kubernetes/client-node';
import { errorReason } from '../errors';
import type { KubeClient } from './kube-client';
import { KubeError } from './kube-error';
import type { TLiveIngress } from './kube-types';

/**
 * What an Ingress watch delivers, in order, one at a time (the next is not delivered before the
 * previous handler's promise settles):
 * - SYNC: a full snapshot after a (re)list — at start, after 410 Gone, on every resync, and on
 *   every poll in polling mode. Anything not in `items` does not exist.
 * - ADDED / MODIFIED / DELETED: one object changed (DELETED carries its last state).
 */
export type TIngressWatchEvent =
  | { type: 'SYNC'; items: TLiveIngress[]; resourceVersion: string }
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: TLiveIngress; resourceVersion: string };

export type TIngressWatchStatus =
  | { kind: 'listed'; count: number; resourceVersion: string }
  | { kind: 'watching'; resourceVersion: string }
  | { kind: 'closed'; resourceVersion: string; error: string | null }
  | { kind: 'expired'; resourceVersion: string }
  | { kind: 'polling'; reason: string }
  | { kind: 'error'; message: string; retryInMs: number }
  | { kind: 'handler-error'; message: string };

export type TIngressWatchOptions = {
  /** One namespace, or every namespace (null, the default). */
  namespace?: string | null;
  onEvent: (event: TIngressWatchEvent) => void | Promise<void>;
  onStatus?: (status: TIngressWatchStatus) => void;
  /** 'watch' (default) falls back to 'poll' by itself when the server refuses watch (403/404/405). */
  mode?: 'watch' | 'poll';
  /** Polling mode: list every this many ms (default 60 s). */
  pollIntervalMs?: number;
  /** Watch mode: relist this often anyway, to heal anything a handler missed (default 10 min). */
  resyncMs?: number;
  /** Asked of the server per watch request; it then ends the stream cleanly (default 300 s). */
  timeoutSeconds?: number;
  /** Reconnect backoff after an error: doubles from min to max (default 250 ms → 30 s). */
  backoffMs?: { min: number; max: number };
};

export type TIngressWatch = {
  stop: () => Promise<void>;
  /** The resourceVersion the next watch resumes from ('' before the first list). */
  readonly resourceVersion: string;
  readonly mode: 'watch' | 'poll';
};

type TWatchOutcome = { kind: 'closed'; error: unknown; events: number } | { kind: 'expired' } | { kind: 'unsupported'; status: number };

/** HTTP statuses that mean "this server (or this identity) does not do watch here": poll instead. */
const WATCH_UNSUPPORTED = new Set([403, 404, 405]);

function withKind(o: Record<string, unknown>): TLiveIngress {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', ...o } as TLiveIngress;
}

/**
 * List-then-watch of Ingresses (what client-go's reflector does), over the client library's own
 * `Watch`. Cases:
 * - start: list (a consistent snapshot at resourceVersion R) → SYNC, then watch from R with
 *   bookmarks, so no write between the list and the watch is missed
 * - events advance R; BOOKMARKs advance R without an event (cheap resumption on quiet clusters)
 * - the stream closes (server timeout, proxy idle cut, API server restart, network drop):
 *   reconnect from R — the server replays every write after R, so nothing is missed; a close
 *   with an error, or one right after opening with nothing received, backs off first
 * - ERROR 410 Gone (R was compacted away): relist → SYNC (which reports deletions too)
 * - the watch request answers 403/404/405: switch to polling (list every pollIntervalMs → SYNC)
 * - list fails: back off and retry; every `resyncMs`: relist anyway
 * - stop(): aborts the open request, ends the loop, waits for the handler in flight
 */
export function watchIngresses(client: KubeClient, kc: KubeConfig, opts: TIngressWatchOptions): TIngressWatch {
  const namespace = opts.namespace ?? null;
  const pollIntervalMs = opts.pollIntervalMs ?? 60_000;
  const resyncMs = opts.resyncMs ?? 10 * 60_000;
  const timeoutSeconds = opts.timeoutSeconds ?? 300;
  const backoff = opts.backoffMs ?? { min: 250, max: 30_000 };
  const status = opts.onStatus ?? (() => undefined);
  const path = namespace
    ? `/apis/networking.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/ingresses`
    : '/apis/networking.k8s.io/v1/ingresses';

  let mode: 'watch' | 'poll' = opts.mode ?? 'watch';
  let resourceVersion = '';
  let stopped = false;
  let controller: AbortController | null = null;
  let wake: (() => void) | null = null;
  let delivering: Promise<void> = Promise.resolve();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (stopped) return resolve();
      const t = setTimeout(() => {
        wake = null;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(t);
        wake = null;
        resolve();
      };
    });

  // Handlers run strictly one after another, in arrival order; a failing handler is reported and
  // does not stop the watch (the next resync heals what it missed).
  const deliver = (event: TIngressWatchEvent): Promise<void> => {
    delivering = delivering.then(async () => {
      if (stopped) return;
      try {
        await opts.onEvent(event);
      } catch (error) {
        status({ kind: 'handler-error', message: errorReason(error) });
      }
    });
    return delivering;
  };

  const list = async (): Promise<void> => {
    const result = namespace ? await client.listIngresses(namespace) : await client.listAllIngresses();
    resourceVersion = result.resourceVersion;
    status({ kind: 'listed', count: result.items.length, resourceVersion });
    await deliver({ type: 'SYNC', items: result.items, resourceVersion });
  };

  const watchOnce = (): Promise<TWatchOutcome> =>
    new Promise<TWatchOutcome>((resolve) => {
      let events = 0;
      let expired = false;
      let settled = false;
      const finish = (o: TWatchOutcome) => {
        if (settled) return;
        settled = true;
        resolve(o);
      };
      const watch = new Watch(kc);
      // The library aborts a stream that sends nothing for requestTimeoutMs (30 s). A healthy API
      // server may be silent longer than that between bookmarks; allow the whole server timeout.
      watch['requestTimeoutMs'] = (timeoutSeconds + 30) * 1000;
      const query = { allowWatchBookmarks: true, resourceVersion, timeoutSeconds };
      watch
        .watch(
          path,
          query,
          (type: string, obj: Record<string, unknown> & { metadata?: { resourceVersion?: string }; code?: number }) => {
            if (stopped) return;
            if (type === 'ERROR') {
              if (obj.code === 410) expired = true;
              controller?.abort();
              return;
            }
            const rv = obj.metadata?.resourceVersion;
            if (rv) resourceVersion = rv;
            if (type === 'BOOKMARK') return;
            if (type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED') return;
            events += 1;
            void deliver({ type, object: withKind(obj), resourceVersion: rv ?? resourceVersion });
          },
          (error: unknown) => {
            const code = (error as { statusCode?: number } | null)?.statusCode;
            if (expired || code === 410) return finish({ kind: 'expired' });
            if (code !== undefined && WATCH_UNSUPPORTED.has(code)) return finish({ kind: 'unsupported', status: code });
            finish({ kind: 'closed', error: stopped ? null : error, events });
          },
        )
        .then(
          (c) => {
            controller = c;
            if (stopped) c.abort();
          },
          (error: unknown) => finish({ kind: 'closed', error, events }),
        );
    });

  const loop = async (): Promise<void> => {
    let delay = backoff.min;
    let listedAt = 0;
    while (!stopped) {
      try {
        if (mode === 'poll') {
          await list();
          delay = backoff.min;
          await sleep(pollIntervalMs);
          continue;
        }
        if (!resourceVersion || Date.now() - listedAt >= resyncMs) {
          await list();
          listedAt = Date.now();
        }
      } catch (error) {
        const message = error instanceof KubeError ? error.message : (error as Error).message;
        status({ kind: 'error', message, retryInMs: delay });
        await sleep(delay);
        delay = Math.min(delay * 2, backoff.max);
        continue;
      }
      if (stopped) break;
      status({ kind: 'watching', resourceVersion });
      const openedAt = Date.now();
      const outcome = await watchOnce();
      controller = null;
      if (stopped) break;
      if (outcome.kind === 'expired') {
        status({ kind: 'expired', resourceVersion });
        resourceVersion = '';
        continue;
      }
      if (outcome.kind === 'unsupported') {
        mode = 'poll';
        status({ kind: 'polling', reason: `the API server answered ${outcome.status} to watch` });
        continue;
      }
      const message = outcome.error ? ((outcome.error as Error).message ?? String(outcome.error)) : null;
      status({ kind: 'closed', resourceVersion, error: message });
      const wasUseful = outcome.events > 0 || Date.now() - openedAt > 1_000;
      if (outcome.error || !wasUseful) {
        await sleep(delay);
        delay = Math.min(delay * 2, backoff.max);
      } else {
        delay = backoff.min;
      }
    }
  };

  const running = loop();
  return {
    get resourceVersion() {
      return resourceVersion;
    },
    get mode() {
      return mode;
    },
    async stop() {
      stopped = true;
      controller?.abort();
      wake?.();
      await running;
      await delivering;
    },
  };
}
