'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';

/**
 * While the worker owns the request (APPROVED, APPLYING) poll its fingerprint every 1.5 s and
 * refresh the page when it changes, so the timeline and status follow the worker by themselves.
 */
export function AutoRefresh({ id, status, fingerprint }: { id: string; status: string; fingerprint: string }) {
  const router = useRouter();
  const last = useRef(fingerprint);
  last.current = fingerprint;
  const isActive = status === 'APPROVED' || status === 'APPLYING';
  useEffect(() => {
    if (!isActive) return;
    let stopped = false;
    const timer = setInterval(async () => {
      try {
        const res = await fetch(`/api/requests/${id}/status`, { cache: 'no-store' });
        if (!res.ok || stopped) return;
        const s = (await res.json()) as { status: string; lastEvent: string | null; currentRevision: number };
        const next = `${s.status}:${s.lastEvent}:${s.currentRevision}`;
        if (next !== last.current) router.refresh();
      } catch {
        // offline for a moment: try again on the next tick
      }
    }, 1500);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [id, isActive, router]);
  if (!isActive) return null;
  return (
    <p role="status" data-testid="live-updates" className="inline-flex items-center gap-2 text-xs text-indigo-800">
      <span className="inline-block h-2 w-2 animate-pulse rounded-full bg-indigo-600" aria-hidden="true" />
      Following the apply worker — this page updates by itself.
    </p>
  );
}
