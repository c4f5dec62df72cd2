import type http from 'node:http';
import type { KubeStore } from './store';
import type { TAdmissionPolicy, TPrincipal } from './types';
import type { WatchRegistry } from './watch';

/** One emulated cluster: its objects, its admission policies, its watch streams. */
export type TClusterState = {
  store: KubeStore;
  admission: TAdmissionPolicy[];
  watches: WatchRegistry;
  bookmarkIntervalMs: number;
  gitVersion: string;
};

/** One request as the handlers see it: body read, bearer token resolved, path relative to its cluster. */
export type TRequestContext = {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  method: string;
  /** The path inside the cluster (a named cluster's `/clusters/<name>` prefix removed). */
  path: string;
  searchParams: URLSearchParams;
  query: Record<string, string>;
  body: unknown;
  bodyError: boolean;
  principal: TPrincipal | undefined;
};
