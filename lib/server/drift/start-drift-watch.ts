import type { TIngress } from '@/lib/domain/ingress/types';
import { errorReason } from '../errors';
import { DEFAULT_POLICY, type TPolicy, ZPolicy } from '@/lib/domain/policy/policy';
import type { Environment } from '@/lib/generated/prisma/client';
import { clusterFor } from '../kube/environment-cluster';
import { db } from '../db/client';
import { env as serverEnv } from '../env';
import type { KubeClient } from '../kube/kube-client';
import type { TIngressWatch, TIngressWatchEvent, TIngressWatchStatus } from '../kube/kube-watch';
import type { TLiveIngress } from '../kube/kube-types';
import { detectDriftOnce } from './detect-drift-once';
import { driftConfig } from './drift-config';
import { leaderLock } from './leader-lock';
import { managedNamespaces } from './managed-namespaces';
import { recordDrift, type TRecordOutcome } from './record-drift';

export type TDriftWatchOptions = {
  log?: (line: string) => void;
  /** Defaults come from INGRESS_GATE_DRIFT_* (drift-config.ts). */
  mode?: 'watch' | 'poll' | 'off';
  pollIntervalMs?: number;
  resyncMs?: number;
  /** How often open drift and deferred checks are looked at again without a cluster event
   * (an adopted Ingress is resolved by a new AppliedVersion, not by a write). Default 5 s. */
  recheckMs?: number;
  /** How often the environment list is reread (new, disabled, reconfigured). Default 30 s. */
  environmentRefreshMs?: number;
  /** How often a worker that does not lead an environment tries to take its lock. Default 1 s. */
  leaderRetryMs?: number;
  /** Leader election across workers (default on, over DATABASE_URL); false: this process watches every environment. */
  leaderElection?: false | { databaseUrl: string };
  /** The cluster client of an environment (default: its configured connection). */
  clientFor?: (env: Environment) => KubeClient;
};

export type TDriftWatch = {
  stop: () => Promise<void>;
  /** Test hook: resolves once every environment has finished its first full pass. */
  ready: () => Promise<void>;
};

const key = (namespace: string, name: string) => `${namespace}\u0000${name}`;

/** One environment: a list-then-watch of every Ingress in its cluster, filtered to managed namespaces. */
class EnvironmentDriftWatch {
  private readonly live = new Map<string, TLiveIngress>();
  private readonly pending = new Map<string, { namespace: string; name: string }>();
  private isManaged: (namespace: string) => boolean = () => false;
  private readonly policy: TPolicy;
  private chain: Promise<void> = Promise.resolve();
  private watch: TIngressWatch | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private resolveReady!: () => void;
  readonly ready = new Promise<void>((r) => (this.resolveReady = r));

  constructor(
    readonly env: Environment,
    private readonly opts: Required<Pick<TDriftWatchOptions, 'pollIntervalMs' | 'resyncMs' | 'recheckMs'>> & {
      mode: 'watch' | 'poll';
      log: (line: string) => void;
      clientFor: (env: Environment) => KubeClient;
    },
  ) {
    const parsed = ZPolicy.safeParse(env.policy ?? {});
    this.policy = parsed.success ? parsed.data : DEFAULT_POLICY;
  }

  start(): void {
    const client = this.opts.clientFor(this.env);
    this.watch = client.watchIngresses({
      mode: this.opts.mode,
      pollIntervalMs: this.opts.pollIntervalMs,
      resyncMs: this.opts.resyncMs,
      onEvent: (e) => this.serial(() => this.onEvent(e)),
      onStatus: (s) => this.onStatus(s),
    });
    this.timer = setInterval(() => void this.serial(() => this.recheck()), this.opts.recheckMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.watch?.stop();
    await this.chain;
    this.resolveReady();
  }

  /** Cluster events and rechecks are handled one at a time, in order. */
  private serial(fn: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(async () => {
      if (this.stopped) return;
      try {
        await fn();
      } catch (error) {
        this.opts.log(`${this.env.name}: drift check failed: ${errorReason(error)}`);
      }
    });
    return this.chain;
  }

  private async onEvent(e: TIngressWatchEvent): Promise<void> {
    if (e.type === 'SYNC') {
      this.live.clear();
      for (const i of e.items) this.live.set(key(i.metadata.namespace, i.metadata.name), i);
      this.isManaged = await managedNamespaces(this.env.id, this.policy);
      const summary = await detectDriftOnce(this.env.id, { live: e.items });
      this.pending.clear();
      for (const d of summary.deferred) this.pending.set(key(d.namespace, d.name), d);
      if (summary.detected || summary.resolved)
        this.opts.log(
          `${this.env.name}: full check of ${summary.checked} Ingress(es): ${summary.detected} new drift, ${summary.resolved} resolved`,
        );
      this.resolveReady();
      return;
    }
    const { namespace, name } = e.object.metadata;
    const k = key(namespace, name);
    if (e.type === 'DELETED') this.live.delete(k);
    else this.live.set(k, e.object);
    if (!this.isManaged(namespace)) {
      // A namespace becomes managed with its first applied version; check before ignoring.
      this.isManaged = await managedNamespaces(this.env.id, this.policy);
      if (!this.isManaged(namespace)) return;
    }
    await this.check(namespace, name);
  }

  private async check(namespace: string, name: string): Promise<void> {
    const k = key(namespace, name);
    const outcome: TRecordOutcome = await recordDrift(
      { environmentId: this.env.id, policy: this.policy, others: [...this.live.values()] as TIngress[], now: new Date() },
      namespace,
      name,
      this.live.get(k) ?? null,
    );
    if (outcome.outcome === 'deferred') this.pending.set(k, { namespace, name });
    else this.pending.delete(k);
    if (outcome.outcome === 'detected') this.opts.log(`${this.env.name}: drift detected: ${namespace}/${name} is ${outcome.state}`);
    if (outcome.outcome === 'resolved' || outcome.outcome === 'removed')
      this.opts.log(`${this.env.name}: drift resolved: ${namespace}/${name}`);
  }

  /** Open drift and deferred checks again: their answer can change without a cluster event. */
  private async recheck(): Promise<void> {
    if (!this.watch || this.watch.resourceVersion === '') return;
    this.isManaged = await managedNamespaces(this.env.id, this.policy);
    const open = await db().driftRecord.findMany({
      where: { environmentId: this.env.id, state: { not: 'IN_SYNC' } },
      select: { namespace: true, ingressName: true },
    });
    const targets = new Map(this.pending);
    for (const r of open) targets.set(key(r.namespace, r.ingressName), { namespace: r.namespace, name: r.ingressName });
    for (const t of targets.values()) if (!this.stopped) await this.check(t.namespace, t.name);
  }

  private onStatus(s: TIngressWatchStatus): void {
    const name = this.env.name;
    switch (s.kind) {
      case 'error':
        return this.opts.log(`${name}: cannot reach the cluster (${s.message}); retrying in ${Math.round(s.retryInMs / 1000)} s`);
      case 'expired':
        return this.opts.log(`${name}: watch position expired (410 Gone); relisting`);
      case 'polling':
        return this.opts.log(`${name}: ${s.reason}; polling every ${Math.round(this.opts.pollIntervalMs / 1000)} s instead`);
      case 'closed':
        if (s.error) this.opts.log(`${name}: watch closed (${s.error}); resuming from ${s.resourceVersion}`);
        return;
      case 'handler-error':
        return this.opts.log(`${name}: drift check failed: ${s.message}`);
      default:
        return;
    }
  }
}

/**
 * Drift detection for every enabled environment, run by the worker. Per environment one
 * list-then-watch over all Ingresses of its cluster (kube-watch.ts: bookmarks, resume from the
 * last resourceVersion after a dropped stream, relist after 410 Gone, periodic resync, polling
 * when the cluster refuses watch or INGRESS_GATE_DRIFT_MODE=poll); each event re-decides that one
 * Ingress (recordDrift), each list runs detectDriftOnce. With several workers each environment is
 * watched by exactly one of them: the one holding its advisory lock (leader-lock.ts); the others
 * try again every `leaderRetryMs` and take over within seconds when the leader dies. Environments
 * are reread every `environmentRefreshMs`: new ones start, disabled or deleted ones stop (and
 * their lock is freed), reconfigured ones (updatedAt moved: connection or policy) restart. An
 * environment whose cluster cannot be configured is logged and tried again at the next refresh.
 * Returns at once; stop() waits for the checks in flight and frees the locks.
 */
export function startDriftWatch(options: TDriftWatchOptions = {}): TDriftWatch {
  const config = driftConfig();
  const log = options.log ?? ((line: string) => console.log(`[drift] ${line}`));
  const mode = options.mode ?? config.mode;
  if (mode === 'off') {
    log('drift detection is off (INGRESS_GATE_DRIFT_MODE=off)');
    return { stop: async () => undefined, ready: async () => undefined };
  }
  const settings = {
    mode,
    log,
    pollIntervalMs: options.pollIntervalMs ?? config.pollIntervalMs,
    resyncMs: options.resyncMs ?? config.resyncMs,
    recheckMs: options.recheckMs ?? 5_000,
    clientFor: options.clientFor ?? ((env: Environment) => clusterFor(env)),
  };
  const watches = new Map<string, EnvironmentDriftWatch>();
  const failures = new Map<string, string>();
  let known: Environment[] = [];
  let stopped = false;
  let chain: Promise<void> = Promise.resolve();
  const stopWatch = async (id: string, why?: string) => {
    const w = watches.get(id);
    if (!w) return;
    watches.delete(id);
    if (why) log(`${w.env.name}: ${why}`);
    await w.stop();
  };
  const lock =
    options.leaderElection === false
      ? null
      : leaderLock({
          databaseUrl: options.leaderElection?.databaseUrl ?? serverEnv().DATABASE_URL,
          log,
          onLost: (id) => void stopWatch(id, 'no longer leading drift detection (lock session lost); stopped'),
        });

  const refresh = async (): Promise<void> => {
    known = await db().environment.findMany({ where: { disabledAt: null } });
    for (const [id, w] of watches) {
      const current = known.find((e) => e.id === id);
      if (current?.updatedAt.getTime() === w.env.updatedAt.getTime()) continue;
      await stopWatch(id);
      if (!current) await lock?.release(id);
    }
  };
  /** Take the locks that are free, start the watches this worker now leads. */
  const lead = async (): Promise<void> => {
    const held = lock ? await lock.attempt(known.map((e) => e.id)) : new Set(known.map((e) => e.id));
    for (const env of known) {
      if (stopped || watches.has(env.id) || !held.has(env.id)) continue;
      const w = new EnvironmentDriftWatch(env, settings);
      try {
        w.start();
        watches.set(env.id, w);
        failures.delete(env.id);
        log(`${env.name}: drift detection started (${mode})${lock ? ', leading: this worker holds its lock' : ''}`);
      } catch (error) {
        const message = (error as Error).message;
        if (failures.get(env.id) !== message) log(`${env.name}: drift detection cannot start: ${message}`);
        failures.set(env.id, message);
      }
    }
  };
  const serial = (fn: () => Promise<void>) => {
    chain = chain
      .then(() => (stopped ? undefined : fn()))
      .catch((error: unknown) => log(`environment refresh failed: ${errorReason(error)}`));
    return chain;
  };
  const first = serial(async () => {
    await refresh();
    await lead();
  });
  const refreshTimer = setInterval(() => void serial(refresh), options.environmentRefreshMs ?? 30_000);
  const leadTimer = setInterval(() => void serial(lead), options.leaderRetryMs ?? 1_000);

  return {
    ready: async () => {
      await first;
      await Promise.all([...watches.values()].map((w) => w.ready));
    },
    stop: async () => {
      stopped = true;
      clearInterval(refreshTimer);
      clearInterval(leadTimer);
      await chain;
      await Promise.all([...watches.values()].map((w) => w.stop()));
      watches.clear();
      await lock?.close();
    },
  };
}
