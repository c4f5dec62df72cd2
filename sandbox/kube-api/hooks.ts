import type http from 'node:http';
import type { Socket } from 'node:net';

/** A request as the hooks see it: read, its bearer token resolved, not yet routed. */
export type THookRequest = {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  method: string;
  /** The full path, a named cluster's prefix included. */
  path: string;
  query: Record<string, string>;
  body: unknown;
  user: string | null;
};

/**
 * Where a test can reach into the server to inject faults (e2e/fakes/fake-kube-api.ts does:
 * recorded requests, injected statuses, dropped connections, delays, an unreachable server).
 * The sandbox `npm start` runs has none.
 */
export type TKubeApiHooks = {
  /** Before routing. Resolves true when the hook answered the request (or decided never to). */
  intercept?(request: THookRequest): Promise<boolean>;
  /** Each new TCP connection (before any TLS handshake); false destroys it at once. */
  acceptConnection?(socket: Socket): boolean;
};
