import type http from 'node:http';
import { apiVersionOf, type TResourceInfo } from './resources';
import { gone } from './status';
import type { KubeStore, TWatchEvent } from './store';

/** The open watch streams of one server, so a restart (or a test) can end them. */
export class WatchRegistry {
  private readonly open = new Set<http.ServerResponse>();

  add(res: http.ServerResponse): void {
    this.open.add(res);
  }

  remove(res: http.ServerResponse): void {
    this.open.delete(res);
  }

  get size(): number {
    return this.open.size;
  }

  /** 'clean' finishes each chunked response; 'abrupt' destroys its connection. Returns how many. */
  closeAll(mode: 'clean' | 'abrupt'): number {
    const all = [...this.open];
    for (const w of all) {
      this.open.delete(w);
      if (mode === 'clean') w.end();
      else w.destroy();
    }
    return all.length;
  }

  destroyAll(): void {
    for (const w of this.open) w.destroy();
  }
}

export type TWatchOptions = { store: KubeStore; registry: WatchRegistry; bookmarkIntervalMs: number };

/**
 * ?watch=1 — newline-delimited watch events, resumable from a resourceVersion. Cases: no
 * resourceVersion (or "0") → ADDED for every current object, then changes; a resourceVersion
 * still in the event log → the events after it, then changes; an older one → one ERROR event
 * with 410 Expired and the end of the stream. Bookmarks when asked for; timeoutSeconds ends it.
 */
export function serveWatch(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  target: { info: TResourceInfo; namespace: string | null },
  query: Record<string, string>,
  { store, registry, bookmarkIntervalMs }: TWatchOptions,
): void {
  const { info, namespace } = target;
  const from = query.resourceVersion;
  const inScope = (e: TWatchEvent): boolean => e.resource === info.resource && (namespace === null || e.namespace === namespace);
  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  const write = (type: string, object: unknown): void => {
    // A stream ended by closeWatches() or timeoutSeconds may still be subscribed until 'close'.
    if (res.writableEnded || res.destroyed) return;
    res.write(`${JSON.stringify({ type, object })}\n`);
  };
  if (from && from !== '0' && Number(from) < store.oldestResumableVersion) {
    write('ERROR', gone(`too old resource version: ${from} (${store.oldestResumableVersion})`));
    res.end();
    return;
  }
  registry.add(res);
  let last = store.resourceVersion;
  if (!from || from === '0') {
    for (const o of store.list(info.resource, namespace)) write('ADDED', o);
  } else {
    for (const e of store.eventsSince(Number(from)).filter(inScope)) write(e.type, e.object);
  }
  const unsubscribe = store.subscribe((e) => {
    last = e.rv;
    if (inScope(e)) write(e.type, e.object);
  });
  const timers: NodeJS.Timeout[] = [];
  if (query.allowWatchBookmarks === 'true' || query.allowWatchBookmarks === '1') {
    const bookmark = (): void =>
      write('BOOKMARK', {
        kind: info.kind,
        apiVersion: apiVersionOf(info),
        metadata: { resourceVersion: String(Math.max(last, store.resourceVersion)) },
      });
    timers.push(setInterval(bookmark, bookmarkIntervalMs));
  }
  const timeout = Number(query.timeoutSeconds);
  if (Number.isFinite(timeout) && timeout > 0) timers.push(setTimeout(() => res.end(), timeout * 1000));
  const close = (): void => {
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    registry.remove(res);
  };
  res.on('close', close);
  req.on('close', close);
}
