import type { TResourceName } from './resources';

/** The verbs RBAC speaks of; the router maps each request to one. */
export type TVerb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete';
/** Per-verb authorization of one token's user: true when allowed. */
export type TAllow = (verb: TVerb, resource: string, namespace: string | null) => boolean;
export type TTokenSpec = { user: string; allow?: TAllow };
/** Who a request authenticated as (null: no or an unknown bearer token). */
export type TPrincipal = TTokenSpec;

/** What a cluster holds before anyone writes to it (namespaces are created for every object's namespace). */
export type TSeed = {
  namespaces?: string[];
  ingresses?: Record<string, unknown>[];
  services?: Record<string, unknown>[];
  ingressClasses?: Record<string, unknown>[];
};

/** A ValidatingAdmissionPolicy with a Deny binding: `deny` returns the refusal message or null. */
export type TAdmissionPolicy = {
  name: string;
  resource: TResourceName;
  reason: 'Invalid' | 'Forbidden';
  deny: (object: Record<string, unknown>, operation: 'CREATE' | 'UPDATE', user: string) => string | null;
};
