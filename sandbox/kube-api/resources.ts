/**
 * The resource types the fake API server serves, with the metadata Kubernetes' discovery and
 * Status bodies use (group, plural, kind, scope). Only what Ingress Gate talks to.
 */
export type TResourceName =
  'namespaces' | 'services' | 'ingresses' | 'ingressclasses' | 'validatingadmissionpolicies' | 'validatingadmissionpolicybindings';

export type TResourceInfo = {
  resource: TResourceName;
  group: string; // '' for the core group
  version: 'v1';
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  singularName: string;
  /** API server's naming rule for metadata.name (apimachinery path/validation). */
  nameRule: 'dns1123-subdomain' | 'dns1123-label' | 'dns1035-label';
};

export const RESOURCES: Record<TResourceName, TResourceInfo> = {
  namespaces: {
    resource: 'namespaces',
    group: '',
    version: 'v1',
    kind: 'Namespace',
    listKind: 'NamespaceList',
    namespaced: false,
    shortNames: ['ns'],
    singularName: 'namespace',
    nameRule: 'dns1123-label',
  },
  services: {
    resource: 'services',
    group: '',
    version: 'v1',
    kind: 'Service',
    listKind: 'ServiceList',
    namespaced: true,
    shortNames: ['svc'],
    singularName: 'service',
    nameRule: 'dns1035-label',
  },
  ingresses: {
    resource: 'ingresses',
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'Ingress',
    listKind: 'IngressList',
    namespaced: true,
    shortNames: ['ing'],
    singularName: 'ingress',
    nameRule: 'dns1123-subdomain',
  },
  ingressclasses: {
    resource: 'ingressclasses',
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'IngressClass',
    listKind: 'IngressClassList',
    namespaced: false,
    shortNames: [],
    singularName: 'ingressclass',
    nameRule: 'dns1123-subdomain',
  },
  // The guard of deploy/admission-policy.yaml, stored and served as the real server does (guard
  // health reads them); the emulator enforces only policies added with addAdmissionPolicy.
  validatingadmissionpolicies: {
    resource: 'validatingadmissionpolicies',
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    kind: 'ValidatingAdmissionPolicy',
    listKind: 'ValidatingAdmissionPolicyList',
    namespaced: false,
    shortNames: [],
    singularName: 'validatingadmissionpolicy',
    nameRule: 'dns1123-subdomain',
  },
  validatingadmissionpolicybindings: {
    resource: 'validatingadmissionpolicybindings',
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    listKind: 'ValidatingAdmissionPolicyBindingList',
    namespaced: false,
    shortNames: [],
    singularName: 'validatingadmissionpolicybinding',
    nameRule: 'dns1123-subdomain',
  },
};

export function apiVersionOf(info: TResourceInfo): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}

/** `ingresses.networking.k8s.io` / `services` — how the API server names a resource in messages. */
export function qualifiedResource(info: TResourceInfo): string {
  return info.group ? `${info.resource}.${info.group}` : info.resource;
}

/** `Ingress.networking.k8s.io` — the group kind used in 422 Invalid messages. */
export function qualifiedKind(info: TResourceInfo): string {
  return info.group ? `${info.kind}.${info.group}` : info.kind;
}

const VERBS_RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function apiResource(info: TResourceInfo): Record<string, unknown> {
  return {
    name: info.resource,
    singularName: info.singularName,
    namespaced: info.namespaced,
    kind: info.kind,
    verbs: info.resource === 'namespaces' ? ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] : VERBS_RW,
    ...(info.shortNames.length ? { shortNames: info.shortNames } : {}),
    storageVersionHash: Buffer.from(info.kind).toString('base64').slice(0, 11),
  };
}

/** GET /api/v1 */
export function coreResourceList(): Record<string, unknown> {
  return {
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: [
      apiResource(RESOURCES.namespaces),
      { name: 'namespaces/status', singularName: '', namespaced: false, kind: 'Namespace', verbs: ['get', 'patch', 'update'] },
      apiResource(RESOURCES.services),
      { name: 'services/status', singularName: '', namespaced: true, kind: 'Service', verbs: ['get', 'patch', 'update'] },
    ],
  };
}

/** GET /apis/networking.k8s.io/v1 */
export function networkingResourceList(): Record<string, unknown> {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: 'networking.k8s.io/v1',
    resources: [
      apiResource(RESOURCES.ingressclasses),
      apiResource(RESOURCES.ingresses),
      { name: 'ingresses/status', singularName: '', namespaced: true, kind: 'Ingress', verbs: ['get', 'patch', 'update'] },
    ],
  };
}

/** GET /apis/authorization.k8s.io/v1 */
export function authorizationResourceList(): Record<string, unknown> {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: 'authorization.k8s.io/v1',
    resources: [
      {
        name: 'selfsubjectaccessreviews',
        singularName: 'selfsubjectaccessreview',
        namespaced: false,
        kind: 'SelfSubjectAccessReview',
        verbs: ['create'],
      },
      {
        name: 'selfsubjectrulesreviews',
        singularName: 'selfsubjectrulesreview',
        namespaced: false,
        kind: 'SelfSubjectRulesReview',
        verbs: ['create'],
      },
    ],
  };
}

/** GET /apis/authentication.k8s.io/v1 */
export function authenticationResourceList(): Record<string, unknown> {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: 'authentication.k8s.io/v1',
    resources: [
      { name: 'selfsubjectreviews', singularName: 'selfsubjectreview', namespaced: false, kind: 'SelfSubjectReview', verbs: ['create'] },
      { name: 'tokenreviews', singularName: 'tokenreview', namespaced: false, kind: 'TokenReview', verbs: ['create'] },
    ],
  };
}

function groupEntry(group: string): Record<string, unknown> {
  const gv = { groupVersion: `${group}/v1`, version: 'v1' };
  return { name: group, versions: [gv], preferredVersion: gv };
}

/** GET /apis */
export function apiGroupList(): Record<string, unknown> {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [groupEntry('networking.k8s.io'), groupEntry('authentication.k8s.io'), groupEntry('authorization.k8s.io')],
  };
}

/** GET /api */
export function apiVersions(): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }],
  };
}
