import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

type TRequestContext = { requestId: string };

const storage = new AsyncLocalStorage<TRequestContext>();

/** Request ids are short enough to read out loud and unique enough for one installation's logs. */
export function newRequestId(): string {
  return randomUUID();
}

/** Accepts an incoming id (proxy.ts sets X-Request-Id) only when it looks like one; else makes one. */
export function requestIdFrom(header: string | null | undefined): string {
  return header && /^[A-Za-z0-9._-]{8,64}$/.test(header) ? header : newRequestId();
}

/** Runs `fn` with `requestId` visible to logs (log.ts) and audit events (recordAuditEvent). */
export function withRequestId<T>(requestId: string, fn: () => Promise<T>): Promise<T> {
  return storage.run({ requestId }, fn);
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
