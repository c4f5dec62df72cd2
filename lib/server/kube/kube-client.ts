import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  AdmissionregistrationV1Api,
  AuthenticationV1Api,
  AuthorizationV1Api,
  type ConfigurationOptions,
  CoreV1Api,
  type KubeConfig,
  NetworkingV1Api,
  Observable,
  type RequestContext,
  type ResponseContext,
  VersionApi,
  type V1Ingress,
} from '@kubernetes/client-node';
import type { TIngress } from '@/lib/domain/ingress/types';
import { connectionServer, loadKubeConfig, type TKubeConnection } from './kube-connection';
import { KubeError, KubeTimeoutSignal, type TKubeOperation, toKubeError } from './kube-error';
import type { TIngressVerb, TLiveIngress, TLiveIngressClass, TLiveList, TLiveNamespace, TLiveService } from './kube-types';
import { type TIngressWatch, type TIngressWatchOptions, watchIngresses } from './kube-watch';

/** The field manager every write records in managedFields; drift detection keys on it. */
export const FIELD_MANAGER = 'ingress-gate';
export const DEFAULT_TIMEOUT_MS = 10_000;
const PAGE_SIZE = 500;

export type TKubeClientOptions = { timeoutMs?: number };
export type TWriteOptions = { dryRun?: boolean };
export type TServerVersion = { gitVersion: string; major: string; minor: string; platform: string };

// Metadata the server owns; a manifest sent back must not carry stale copies of it.
const SERVER_SET_META = [
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'generation',
  'managedFields',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
] as const;

/**
 * One cluster connection (one per environment) over the unmodified @kubernetes/client-node.
 * Every call: has a deadline (`timeoutMs`, default 10 s, covering headers and body); returns the
 * server's JSON as sent (the library's typed deserialisation turns timestamps into Dates and
 * drops unknown fields, so the raw body is captured instead); throws only KubeError.
 * Writes: field manager `ingress-gate`; update and delete carry the base resourceVersion as a
 * precondition, so an object that moved since it was reviewed fails with 409 and is never
 * overwritten (invariant 4); `dryRun` runs the server's full admission and validation and stores nothing.
 */
export class KubeClient {
  readonly server: string;
  readonly timeoutMs: number;
  private readonly networking: NetworkingV1Api;
  private readonly core: CoreV1Api;
  private readonly version: VersionApi;
  private readonly authz: AuthorizationV1Api;
  private readonly authn: AuthenticationV1Api;
  private readonly admission: AdmissionregistrationV1Api;
  private readonly kc: KubeConfig;

  constructor(kc: KubeConfig, opts: TKubeClientOptions = {}) {
    this.kc = kc;
    this.server = connectionServer(kc);
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.networking = kc.makeApiClient(NetworkingV1Api);
    this.core = kc.makeApiClient(CoreV1Api);
    this.version = kc.makeApiClient(VersionApi);
    this.authz = kc.makeApiClient(AuthorizationV1Api);
    this.authn = kc.makeApiClient(AuthenticationV1Api);
    this.admission = kc.makeApiClient(AdmissionregistrationV1Api);
  }

  /**
   * sha256 fingerprint (hex, colon-separated as openssl prints it) of the certificate authority the
   * connection trusts, or null when it trusts none of its own (insecure-skip-tls-verify, or the
   * system roots). Part of the cluster's identity.
   */
  caFingerprint(): string | null {
    const cluster = this.kc.getCurrentCluster();
    try {
      const pem = cluster?.caData ? Buffer.from(cluster.caData, 'base64') : cluster?.caFile ? readFileSync(cluster.caFile) : null;
      return pem ? new X509Certificate(pem).fingerprint256 : null;
    } catch {
      return null;
    }
  }

  /** How the connection treats TLS: verified against a CA, verification skipped, or plain http. */
  tlsMode(): 'verified' | 'skip-verify' | 'http' {
    const cluster = this.kc.getCurrentCluster();
    if (this.server.startsWith('http:')) return 'http';
    return cluster?.skipTLSVerify ? 'skip-verify' : 'verified';
  }

  /** SelfSubjectReview: who the cluster says this connection is. */
  async whoAmI(): Promise<{ username: string; groups: string[] }> {
    const review = await this.call<{ status?: { userInfo?: { username?: string; groups?: string[] } } }>(
      { verb: 'create', resource: 'selfsubjectreviews' },
      (o) => this.authn.createSelfSubjectReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } }, o),
    );
    return { username: review.status?.userInfo?.username ?? '', groups: review.status?.userInfo?.groups ?? [] };
  }

  /**
   * The uid of a namespace (kube-system's identifies a cluster: it is created once, never
   * recreated). Read through list, the verb deploy/rbac-portal.yaml grants on namespaces.
   */
  async getNamespaceUid(name: string): Promise<string | null> {
    const ns = (await this.listNamespaces()).items.find((n) => n.metadata.name === name);
    return ns?.metadata.uid ?? null;
  }

  /**
   * A cluster-scoped admissionregistration.k8s.io/v1 object (the guard in deploy/), or null when
   * it does not exist. Read with `get`, the verb deploy/rbac-portal.yaml grants on both kinds.
   */
  async getAdmissionObject(
    kind: 'validatingadmissionpolicies' | 'validatingadmissionpolicybindings',
    name: string,
  ): Promise<{ metadata: { name: string; labels?: Record<string, string> }; spec?: Record<string, unknown> } | null> {
    try {
      return await this.call({ verb: 'get', resource: kind, name }, (o) =>
        kind === 'validatingadmissionpolicies'
          ? this.admission.readValidatingAdmissionPolicy({ name }, o)
          : this.admission.readValidatingAdmissionPolicyBinding({ name }, o),
      );
    } catch (error) {
      if (error instanceof KubeError && error.kind === 'not-found') return null;
      throw error;
    }
  }

  async getServerVersion(): Promise<TServerVersion> {
    const v = await this.call<TServerVersion>({ verb: 'get', resource: 'version' }, (o) => this.version.getCode({}, o));
    return { gitVersion: v.gitVersion, major: v.major, minor: v.minor, platform: v.platform };
  }

  /** The live Ingress, or null when it does not exist. */
  async getIngress(namespace: string, name: string): Promise<TLiveIngress | null> {
    try {
      return await this.call<TLiveIngress>({ verb: 'get', resource: 'ingresses', namespace, name }, (o) =>
        this.networking.readNamespacedIngress({ namespace, name }, o),
      );
    } catch (error) {
      if (error instanceof KubeError && error.kind === 'not-found' && error.reason === 'NotFound') return null;
      throw error;
    }
  }

  listIngresses(namespace: string): Promise<TLiveList<TLiveIngress>> {
    return this.list<TLiveIngress>({ verb: 'list', resource: 'ingresses', namespace }, 'networking.k8s.io/v1', 'Ingress', (p, o) =>
      this.networking.listNamespacedIngress({ namespace, ...p }, o),
    );
  }

  /** Every Ingress the connection may list, cluster-wide (host/path collision checks). */
  listAllIngresses(): Promise<TLiveList<TLiveIngress>> {
    return this.list<TLiveIngress>({ verb: 'list', resource: 'ingresses' }, 'networking.k8s.io/v1', 'Ingress', (p, o) =>
      this.networking.listIngressForAllNamespaces(p, o),
    );
  }

  /** List-then-watch of Ingresses with reconnect, resync and a polling fallback (kube-watch.ts). */
  watchIngresses(opts: TIngressWatchOptions): TIngressWatch {
    return watchIngresses(this, this.kc, opts);
  }

  listServices(namespace: string): Promise<TLiveList<TLiveService>> {
    return this.list<TLiveService>({ verb: 'list', resource: 'services', namespace }, 'v1', 'Service', (p, o) =>
      this.core.listNamespacedService({ namespace, ...p }, o),
    );
  }

  listIngressClasses(): Promise<TLiveList<TLiveIngressClass>> {
    return this.list<TLiveIngressClass>({ verb: 'list', resource: 'ingressclasses' }, 'networking.k8s.io/v1', 'IngressClass', (p, o) =>
      this.networking.listIngressClass(p, o),
    );
  }

  listNamespaces(): Promise<TLiveList<TLiveNamespace>> {
    return this.list<TLiveNamespace>({ verb: 'list', resource: 'namespaces' }, 'v1', 'Namespace', (p, o) => this.core.listNamespace(p, o));
  }

  /** Creates an Ingress in `ingress.metadata.namespace`. 409 already-exists when the name is taken. */
  async createIngress(ingress: TIngress, opts: TWriteOptions = {}): Promise<TLiveIngress> {
    const namespace = requireNamespace(ingress);
    const body = forCreate(ingress);
    return this.call<TLiveIngress>({ verb: 'create', resource: 'ingresses', namespace, name: ingress.metadata.name }, (o) =>
      this.networking.createNamespacedIngress({ namespace, body: body as V1Ingress, fieldManager: FIELD_MANAGER, ...dryRun(opts) }, o),
    );
  }

  /** Replaces an Ingress only if it is still at `baseResourceVersion` (else a 409 conflict). */
  async updateIngress(ingress: TIngress, baseResourceVersion: string, opts: TWriteOptions = {}): Promise<TLiveIngress> {
    const namespace = requireNamespace(ingress);
    const name = ingress.metadata.name;
    // An empty resourceVersion would make the PUT unconditional: refuse rather than overwrite.
    if (!baseResourceVersion) throw new Error('updateIngress needs the base resourceVersion the change was reviewed against');
    const body = forUpdate(ingress, baseResourceVersion);
    return this.call<TLiveIngress>({ verb: 'update', resource: 'ingresses', namespace, name }, (o) =>
      this.networking.replaceNamespacedIngress(
        { namespace, name, body: body as V1Ingress, fieldManager: FIELD_MANAGER, ...dryRun(opts) },
        o,
      ),
    );
  }

  /** Deletes an Ingress only if it is still at `baseResourceVersion` (else a 409 conflict). */
  async deleteIngress(namespace: string, name: string, baseResourceVersion: string, opts: TWriteOptions = {}): Promise<void> {
    if (!baseResourceVersion) throw new Error('deleteIngress needs the base resourceVersion the change was reviewed against');
    await this.call<unknown>({ verb: 'delete', resource: 'ingresses', namespace, name }, (o) =>
      this.networking.deleteNamespacedIngress(
        {
          namespace,
          name,
          ...dryRun(opts),
          body: { preconditions: { resourceVersion: baseResourceVersion }, ...(opts.dryRun ? { dryRun: ['All'] } : {}) },
        },
        o,
      ),
    );
  }

  dryRunCreate(ingress: TIngress): Promise<TLiveIngress> {
    return this.createIngress(ingress, { dryRun: true });
  }

  dryRunUpdate(ingress: TIngress, baseResourceVersion: string): Promise<TLiveIngress> {
    return this.updateIngress(ingress, baseResourceVersion, { dryRun: true });
  }

  dryRunDelete(namespace: string, name: string, baseResourceVersion: string): Promise<void> {
    return this.deleteIngress(namespace, name, baseResourceVersion, { dryRun: true });
  }

  /** SelfSubjectAccessReview: may this connection `verb` ingresses (in `namespace`, or cluster-wide)? */
  async canI(verb: TIngressVerb, namespace?: string | null): Promise<boolean> {
    return this.canDo({ verb, group: 'networking.k8s.io', resource: 'ingresses', namespace });
  }

  /** SelfSubjectAccessReview for any verb on any resource. */
  async canDo(attrs: { verb: string; group: string; resource: string; namespace?: string | null }): Promise<boolean> {
    const { verb, group, resource, namespace } = attrs;
    const review = await this.call<{ status?: { allowed?: boolean } }>({ verb: 'create', resource: 'selfsubjectaccessreviews' }, (o) =>
      this.authz.createSelfSubjectAccessReview(
        {
          body: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SelfSubjectAccessReview',
            spec: { resourceAttributes: { verb, group, resource, ...(namespace ? { namespace } : {}) } },
          },
        },
        o,
      ),
    );
    return review.status?.allowed === true;
  }

  /** Lists every page (limit/continue), stamping apiVersion/kind on items (the server omits them in lists). */
  private async list<T>(
    op: TKubeOperation,
    apiVersion: string,
    kind: string,
    fetchPage: (params: { limit: number; _continue?: string }, o: ConfigurationOptions) => Promise<unknown>,
  ): Promise<TLiveList<T>> {
    const items: T[] = [];
    let token: string | undefined;
    let resourceVersion = '';
    do {
      const page = await this.call<{ items?: Record<string, unknown>[]; metadata?: { resourceVersion?: string; continue?: string } }>(
        op,
        (o) => fetchPage({ limit: PAGE_SIZE, ...(token ? { _continue: token } : {}) }, o),
      );
      for (const item of page.items ?? []) items.push({ apiVersion, kind, ...item } as T);
      // The first page's resourceVersion is the snapshot all continued pages belong to.
      resourceVersion ||= page.metadata?.resourceVersion ?? '';
      token = page.metadata?.continue || undefined;
    } while (token);
    return { items, resourceVersion };
  }

  /**
   * Runs one client call with a deadline and raw-body capture. The per-call middleware (appended
   * after the library's own) sets an abort signal in `pre` and, in `post`, reads the body text
   * once and hands the library a body that replays it.
   */
  private async call<T>(op: TKubeOperation, run: (o: ConfigurationOptions) => Promise<unknown>): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new KubeTimeoutSignal(this.timeoutMs)), this.timeoutMs);
    let raw: string | undefined;
    const middleware = {
      pre: (ctx: RequestContext) => {
        ctx.setSignal(controller.signal);
        return new Observable(Promise.resolve(ctx));
      },
      post: (rsp: ResponseContext) =>
        new Observable(
          rsp.body.text().then((text) => {
            raw = text;
            rsp.body = { text: () => Promise.resolve(text), binary: () => Promise.resolve(Buffer.from(text)), stream: () => null };
            return rsp;
          }),
        ),
    };
    try {
      await run({ middleware: [middleware], middlewareMergeStrategy: 'append' });
      if (raw === undefined) throw new KubeError('unknown', 'The API server sent no response body.', { operation: op });
      try {
        return JSON.parse(raw) as T;
      } catch (error) {
        throw new KubeError('server-error', 'The API server sent a response that is not JSON.', { operation: op, cause: error });
      }
    } catch (error) {
      // An abort surfaces as the signal's reason, sometimes wrapped; prefer the signal's verdict.
      if (controller.signal.aborted && controller.signal.reason instanceof KubeTimeoutSignal && !(error instanceof KubeError)) {
        throw toKubeError(controller.signal.reason, op, this.timeoutMs);
      }
      throw toKubeError(error, op, this.timeoutMs);
    } finally {
      clearTimeout(timer);
    }
  }
}

function dryRun(opts: TWriteOptions): { dryRun?: string } {
  return opts.dryRun ? { dryRun: 'All' } : {};
}

function requireNamespace(ingress: TIngress): string {
  const ns = ingress.metadata.namespace;
  if (!ns)
    throw new KubeError('invalid', 'The Ingress has no metadata.namespace.', {
      causes: [{ field: 'metadata.namespace', message: 'Required value' }],
    });
  return ns;
}

function stripServerMeta(ingress: TIngress): TIngress {
  const copy = structuredClone(ingress);
  for (const k of SERVER_SET_META) delete copy.metadata[k];
  delete copy.status;
  return copy;
}

function forCreate(ingress: TIngress): TIngress {
  return stripServerMeta(ingress);
}

function forUpdate(ingress: TIngress, baseResourceVersion: string): TIngress {
  const copy = stripServerMeta(ingress);
  copy.metadata.resourceVersion = baseResourceVersion;
  return copy;
}

/** Builds the client for a connection. Throws KubeError('config') when the connection is unusable. */
export function createKubeClient(connection: TKubeConnection, opts: TKubeClientOptions = {}): KubeClient {
  return new KubeClient(loadKubeConfig(connection), opts);
}
