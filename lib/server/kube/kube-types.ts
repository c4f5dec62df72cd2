import type { TIngress, TObjectMeta } from '@/lib/domain/ingress/types';

/**
 * Objects as the API server sends them: plain JSON (timestamps stay RFC 3339 strings, unknown
 * fields kept), not the client library's deserialised classes. Lists carry the list's
 * resourceVersion, the point in time the items were read at.
 */
export type TLiveMeta = TObjectMeta & { name: string; resourceVersion: string; uid: string };

export type TLiveIngress = TIngress & { metadata: TLiveMeta & { namespace: string } };

export type TServicePort = {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
  appProtocol?: string;
  nodePort?: number;
};
export type TLiveService = {
  apiVersion: 'v1';
  kind: 'Service';
  metadata: TLiveMeta & { namespace: string };
  spec: { type?: string; ports?: TServicePort[]; selector?: Record<string, string>; clusterIP?: string; externalName?: string };
};

export type TLiveIngressClass = {
  apiVersion: 'networking.k8s.io/v1';
  kind: 'IngressClass';
  metadata: TLiveMeta;
  spec: { controller?: string; parameters?: Record<string, unknown> };
};

export type TLiveNamespace = {
  apiVersion: 'v1';
  kind: 'Namespace';
  metadata: TLiveMeta;
  status?: { phase?: string };
};

export type TLiveList<T> = { items: T[]; resourceVersion: string };

/** The verbs testConnection checks on ingresses. */
// No patch: the portal writes with PUT/DELETE and a resourceVersion precondition; deploy/ does not grant it.
export const INGRESS_VERBS = ['get', 'list', 'watch', 'create', 'update', 'delete'] as const;
export type TIngressVerb = (typeof INGRESS_VERBS)[number];
