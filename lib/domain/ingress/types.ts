/**
 * Typed shape of a Kubernetes `networking.k8s.io/v1` Ingress, and the issue value every
 * parse/validation step returns. Field names and optionality follow the Go structs in
 * k8s.io/api/networking/v1 so an object that type-checks here serialises to what the API expects.
 */

/** One problem with the input. `path` uses the Kubernetes field-path format (`spec.rules[0].host`,
 * `metadata.annotations[nginx.ingress.kubernetes.io/auth-url]`); line/column are 1-based positions
 * in the source text, or null when there is no source (an object handed to the validator). */
export type TIssue = {
  path: string;
  line: number | null;
  column: number | null;
  message: string;
  code: TIssueCode;
};

export type TIssueCode =
  // text-level problems (parse-ingress, decode-manifest)
  | 'encoding'
  | 'empty'
  | 'too-large'
  | 'too-deep'
  | 'line-too-long'
  | 'yaml-syntax'
  | 'duplicate-key'
  | 'alias-limit'
  | 'undefined-alias'
  | 'merge-key'
  | 'unsupported-tag'
  | 'multiple-documents'
  | 'not-an-object'
  | 'wrong-kind'
  | 'removed-api-version'
  | 'unsupported-api-version'
  // object-level problems (validate-ingress), named after field.ErrorType in apimachinery
  | 'required'
  | 'invalid'
  | 'type'
  | 'unknown-field'
  | 'not-supported'
  | 'too-long'
  | 'namespace-mismatch'
  | 'annotation-not-string'
  | 'annotations-too-large'
  | 'class-mismatch';

export type TPathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';

export type TServiceBackendPort = { name?: string; number?: number };

export type TIngressServiceBackend = { name: string; port: TServiceBackendPort };

export type TTypedLocalObjectReference = { apiGroup?: string; kind: string; name: string };

export type TIngressBackend = {
  service?: TIngressServiceBackend;
  resource?: TTypedLocalObjectReference;
};

export type THTTPIngressPath = {
  path?: string;
  pathType: TPathType;
  backend: TIngressBackend;
};

export type TIngressRule = {
  host?: string;
  http?: { paths: THTTPIngressPath[] };
};

export type TIngressTLS = { hosts?: string[]; secretName?: string };

export type TIngressSpec = {
  ingressClassName?: string;
  defaultBackend?: TIngressBackend;
  tls?: TIngressTLS[];
  rules?: TIngressRule[];
};

/** ObjectMeta. The server-set fields are listed so normalisation can drop them by name. */
export type TObjectMeta = {
  name: string;
  namespace?: string;
  generateName?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: unknown[];
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string | null;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  managedFields?: unknown[];
  selfLink?: string;
};

export type TIngress = {
  apiVersion: 'networking.k8s.io/v1';
  kind: 'Ingress';
  metadata: TObjectMeta;
  spec: TIngressSpec;
  status?: unknown;
};

/** A field path as segments: property names and array indexes. Formatted with `formatPath`. */
export type TPathSegment = string | number;
