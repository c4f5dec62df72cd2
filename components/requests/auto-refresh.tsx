'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, useTransition } from 'react';

/**
 * Keeps a page current: server-sent events from /api/live (fed by PostgreSQL LISTEN/NOTIFY at
 * each committed change) trigger a router refresh within a few hundred milliseconds. When the
 * stream cannot be opened (a proxy that buffers, an old browser) it falls back to polling
 * `statusUrl` every 3 s (or refreshing every 10 s without one). `data-live` says which is in use.
 */
export function LiveRefresh({ stream, statusUrl, fingerprint }: { stream: string; statusUrl?: string; fingerprint?: string }) {
  const router = useRouter();
  const last = useRef(fingerprint);
  last.current = fingerprint;
  const [mode, setMode] = useState<'connecting' | 'live' | 'polling'>('connecting');
  const [isRefreshing, startRefresh] = useTransition();
  const inFlight = useRef(false);
  const dirty = useRef(false);
  inFlight.current = isRefreshing;
  // A change that arrived while a refresh was rendering: refresh once more when it lands, instead
  // of starting a new render that would discard the one almost done.
  useEffect(() => {
    if (!isRefreshing && dirty.current) {
      dirty.current = false;
      startRefresh(() => router.refresh());
    }
  }, [isRefreshing, router]);
  useEffect(() => {
    let stopped = false;
    let pending: ReturnType<typeof setTimeout> | null = null;
    let poller: ReturnType<typeof setInterval> | null = null;
    const refresh = () => {
      if (pending) return;
      // Several changes in one burst (review + approval + job) become one refresh.
      pending = setTimeout(() => {
        pending = null;
        if (stopped) return;
        if (inFlight.current) dirty.current = true;
        else startRefresh(() => router.refresh());
      }, 30);
    };
    const poll = () => {
      setMode('polling');
      poller ??= setInterval(
        async () => {
          if (!statusUrl) return refresh();
          try {
            const res = await fetch(statusUrl, { cache: 'no-store' });
            if (!res.ok || stopped) return;
            const s = (await res.json()) as { status: string; lastEvent: string | null; currentRevision: number };
            if (`${s.status}:${s.lastEvent}:${s.currentRevision}` !== last.current) refresh();
          } catch {
            // offline for a moment: try again on the next tick
          }
        },
        statusUrl ? 3_000 : 10_000,
      );
    };
    if (typeof EventSource === 'undefined') {
      poll();
      return () => {
        stopped = true;
        if (poller) clearInterval(poller);
      };
    }
    const source = new EventSource(stream);
    source.addEventListener('ready', () => {
      setMode('live');
      if (poller) {
        clearInterval(poller);
        poller = null;
      }
      // A change committed between the server render and this subscription sent its NOTIFY to
      // nobody (e.g. a pre-approved rollback applied in 0.4 s): compare once now.
      if (statusUrl && last.current)
        void fetch(statusUrl, { cache: 'no-store' })
          .then(async (res) => {
            if (!res.ok || stopped) return;
            const s = (await res.json()) as { status: string; lastEvent: string | null; currentRevision: number };
            if (`${s.status}:${s.lastEvent}:${s.currentRevision}` !== last.current) refresh();
          })
          .catch(() => {});
    });
    source.addEventListener('change', refresh);
    source.onerror = () => {
      // CONNECTING: the browser retries by itself; CLOSED (e.g. a non-200 answer): poll instead.
      if (source.readyState === EventSource.CLOSED) poll();
    };
    return () => {
      stopped = true;
      source.close();
      if (pending) clearTimeout(pending);
      if (poller) clearInterval(poller);
    };
  }, [stream, statusUrl, router]);
  return <span hidden data-testid="live" data-live={mode} />;
}

/** The request page: live updates always; the "following the worker" note while it applies. */
export function AutoRefresh({ id, status, fingerprint }: { id: string; status: string; fingerprint: string }) {
  const isActive = status === 'APPROVED' || status === 'APPLYING';
  return (
    <>
      <LiveRefresh
        stream={`/api/live?request=${encodeURIComponent(id)}`}
        statusUrl={`/api/requests/${encodeURIComponent(id)}/status`}
        fingerprint={fingerprint}
      />
      {isActive && (
        <p role="status" data-testid="live-updates" className="inline-flex items-center gap-2 text-xs text-indigo-800">
          <span className="inline-block h-2 w-2 animate-pulse rounded-full bg-indigo-600" aria-hidden="true" />
          Following the apply worker — this page updates by itself.
        </p>
      )}
    </>
  );
}
