import pg from 'pg';
import { can, type TActor } from '@/lib/domain/authz/permissions';
import { env } from '../env';

/** What the database trigger `notify_live_change` sends at commit: request id and environment id. */
export type TLiveChange = { r: string | null; e: string | null };
type TListener = (change: TLiveChange) => void;

export const LIVE_CHANNEL = 'ingress_gate_live';

/**
 * One LISTEN connection per server process, shared by every open page (server-sent events).
 * PostgreSQL delivers the trigger's notification when the transaction commits — never for a
 * rollback — so a page refreshes for exactly the changes that happened. A dropped connection
 * reconnects after a second; pages also poll slowly meanwhile (see components/live).
 */
class LiveHub {
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private readonly listeners = new Set<TListener>();

  constructor(private readonly databaseUrl: string) {}

  subscribe(listener: TListener): () => void {
    this.listeners.add(listener);
    void this.ensureConnected();
    return () => {
      this.listeners.delete(listener);
    };
  }

  private async ensureConnected(): Promise<void> {
    if (this.client || this.connecting) return this.connecting ?? undefined;
    this.connecting = (async () => {
      const client = new pg.Client({ connectionString: this.databaseUrl });
      client.on('notification', (msg) => {
        if (msg.channel !== LIVE_CHANNEL || !msg.payload) return;
        let change: TLiveChange;
        try {
          change = JSON.parse(msg.payload) as TLiveChange;
        } catch {
          return;
        }
        for (const l of this.listeners) l(change);
      });
      const drop = () => {
        if (this.client !== client) return;
        this.client = null;
        client.end().catch(() => {});
        if (this.listeners.size) setTimeout(() => void this.ensureConnected(), 1_000);
      };
      client.on('error', drop);
      client.on('end', drop);
      try {
        await client.connect();
        await client.query(`LISTEN ${LIVE_CHANNEL}`);
        this.client = client;
      } catch {
        client.end().catch(() => {});
        setTimeout(() => void this.ensureConnected(), 1_000);
      }
    })().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  async ready(): Promise<void> {
    await this.ensureConnected();
  }
}

const globalForLive = globalThis as unknown as { ingressGateLive?: LiveHub };

function hub(): LiveHub {
  globalForLive.ingressGateLive ??= new LiveHub(env().DATABASE_URL);
  return globalForLive.ingressGateLive;
}

/**
 * Subscribes an actor to changes they may see: one request (`requestId`), or every request in
 * the environments they can view (the inbox). Visibility is decided here, per notification, with
 * the same `can()` as the pages; the payload carries ids only, and the page re-reads through its
 * own checked query.
 */
export async function subscribeLiveChanges(
  actor: TActor,
  scope: { requestId: string } | { inbox: true },
  onChange: (change: TLiveChange) => void,
): Promise<() => void> {
  const h = hub();
  const unsubscribe = h.subscribe((change) => {
    if ('requestId' in scope) {
      if (change.r === scope.requestId) onChange(change);
      return;
    }
    if (change.r && change.e && can(actor, 'change-request.view', { environmentId: change.e })) onChange(change);
  });
  await h.ready();
  return unsubscribe;
}
