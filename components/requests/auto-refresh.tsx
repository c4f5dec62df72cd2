'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, useTransition } from 'react';
import type { TLiveRequestSummary } from '@/lib/server/live/get-live-request-summary';

type TStatusJson = { status: string; lastEvent: string | null; currentRevision: number; summary?: TLiveRequestSummary };

/**
 * Keeps a page current: server-sent events from /api/live (fed by PostgreSQL LISTEN/NOTIFY at
 * each committed change) trigger a router refresh within a few hundred milliseconds. When an
 * event (or the polled status) carries the request's live summary, `onSummary` gets it first, so
 * the parts it drives change at once, before the whole page has re-rendered. When the stream
 * cannot be opened (a proxy that buffers, an old browser) it falls back to polling `statusUrl`
 * every 3 s (or refreshing every 10 s without one). `data-live` says which is in use.
 */
export function LiveRefresh({
  stream,
  statusUrl,
  fingerprint,
  onSummary,
}: {
  stream: string;
  statusUrl?: string;
  fingerprint?: string;
  onSummary?: (summary: TLiveRequestSummary) => void;
}) {
  const router = useRouter();
  const last = useRef(fingerprint);
  last.current = fingerprint;
  const summaryHandler = useRef(onSummary);
  summaryHandler.current = onSummary;
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
            const s = (await res.json()) as TStatusJson;
            if (`${s.status}:${s.lastEvent}:${s.currentRevision}` !== last.current) {
              if (s.summary) summaryHandler.current?.(s.summary);
              refresh();
            }
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
            const s = (await res.json()) as TStatusJson;
            if (`${s.status}:${s.lastEvent}:${s.currentRevision}` !== last.current) {
              if (s.summary) summaryHandler.current?.(s.summary);
              refresh();
            }
          })
          .catch(() => {});
    });
    source.addEventListener('change', (event) => {
      try {
        const data = JSON.parse((event as MessageEvent<string>).data) as { summary?: TLiveRequestSummary | null };
        if (data.summary) summaryHandler.current?.(data.summary);
      } catch {
        // not JSON: refresh only
      }
      refresh();
    });
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
