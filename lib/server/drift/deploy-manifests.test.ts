import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

// deploy/ must be something a cluster admin can `kubectl apply -k` as it is: every document
// parses, has what the API server requires, and the pieces reference each other correctly.
type TDoc = {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  [k: string]: unknown;
};
type TAny = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const deployDir = fileURLToPath(new URL('../../../deploy/', import.meta.url));
const files = readdirSync(deployDir)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const texts = Object.fromEntries(files.map((f) => [f, readFileSync(join(deployDir, f), 'utf8')]));
const docs: (TDoc & { file: string })[] = files.flatMap((file) =>
  parseAllDocuments(texts[file]!)
    .map((d) => {
      if (d.errors.length) throw new Error(`${file}: ${d.errors.map((e) => e.message).join('; ')}`);
      return { ...(d.toJS() as TDoc), file };
    })
    .filter((d) => d.kind !== undefined || Object.keys(d).length > 1),
);
const resources = docs.filter((d) => d.kind !== 'Kustomization');
const ofKind = (kind: string) => resources.filter((d) => d.kind === kind) as unknown as TAny[];
const one = (kind: string, name?: string): TAny => {
  const found = ofKind(kind).filter((d) => name === undefined || d.metadata.name === name);
  expect(found, `${kind}${name ? ` ${name}` : ''}`).toHaveLength(1);
  return found[0]!;
};

const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
]);
const API_VERSIONS: Record<string, string> = {
  Namespace: 'v1',
  ServiceAccount: 'v1',
  Secret: 'v1',
  ConfigMap: 'v1',
  Service: 'v1',
  Deployment: 'apps/v1',
  ClusterRole: 'rbac.authorization.k8s.io/v1',
  ClusterRoleBinding: 'rbac.authorization.k8s.io/v1',
  ValidatingAdmissionPolicy: 'admissionregistration.k8s.io/v1',
  ValidatingAdmissionPolicyBinding: 'admissionregistration.k8s.io/v1',
};
const DNS1123 = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** Brackets and quotes balance outside string literals: catches a truncated or mangled CEL expression. */
function isBalanced(expr: string): boolean {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  let quote: string | null = null;
  for (let i = 0; i < expr.length; i += 1) {
    const c = expr[i]!;
    if (quote) {
      if (c === '\\') i += 1;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if ('([{'.includes(c)) stack.push(c);
    else if (c in pairs && stack.pop() !== pairs[c]) return false;
  }
  return quote === null && stack.length === 0;
}

describe('deploy/ manifests', () => {
  it('every document parses and has apiVersion, kind, a valid name, and a namespace exactly when namespaced', () => {
    expect(files).toEqual(expect.arrayContaining(['admission-policy.yaml', 'ingress-gate.yaml', 'kustomization.yaml', 'rbac-portal.yaml']));
    expect(resources.length).toBeGreaterThan(8);
    for (const d of resources) {
      const where = `${d.file}: ${d.kind} ${d.metadata?.name}`;
      expect(API_VERSIONS[d.kind!], `${where}: unexpected kind`).toBeDefined();
      expect(d.apiVersion, where).toBe(API_VERSIONS[d.kind!]);
      expect(d.metadata?.name, where).toMatch(DNS1123);
      if (CLUSTER_SCOPED.has(d.kind!)) expect(d.metadata?.namespace, where).toBeUndefined();
      else expect(d.metadata?.namespace, where).toBe('ingress-gate');
    }
    const names = resources.map((d) => `${d.kind}/${d.metadata?.namespace ?? ''}/${d.metadata?.name}`);
    expect(new Set(names).size).toBe(names.length);
  });

  it('kustomization.yaml lists every resource file', () => {
    const k = docs.find((d) => d.kind === 'Kustomization') as TAny;
    expect(k.apiVersion).toBe('kustomize.config.k8s.io/v1beta1');
    expect([...k.resources].sort()).toEqual(files.filter((f) => f !== 'kustomization.yaml'));
  });

  it('the ValidatingAdmissionPolicy refuses Ingress writes from anyone but the portal, with CEL naming request.userInfo', () => {
    const policy = one('ValidatingAdmissionPolicy');
    expect(policy.spec.failurePolicy).toBe('Fail');
    const rules = policy.spec.matchConstraints.resourceRules as TAny[];
    const ingressRule = rules.find((r) => r.resources.includes('ingresses'));
    expect(ingressRule).toBeDefined();
    expect(ingressRule!.apiGroups).toEqual(['networking.k8s.io']);
    expect([...ingressRule!.operations].sort()).toEqual(['CREATE', 'DELETE', 'UPDATE']);
    // Status is a subresource; matching it would break ingress controllers reporting addresses.
    expect(rules.flatMap((r) => r.resources)).not.toContain('ingresses/status');

    const expressions: string[] = [
      ...(policy.spec.variables ?? []).map((v: TAny) => v.expression),
      ...policy.spec.validations.flatMap((v: TAny) => [v.expression, v.messageExpression].filter(Boolean)),
      ...(policy.spec.auditAnnotations ?? []).map((a: TAny) => a.valueExpression),
    ];
    for (const e of expressions) {
      expect(typeof e).toBe('string');
      expect(e.trim().length).toBeGreaterThan(0);
      expect(isBalanced(e), e).toBe(true);
    }
    expect(policy.spec.validations.length).toBeGreaterThan(0);
    expect(expressions.some((e) => e.includes('request.userInfo.username'))).toBe(true);
    expect(expressions.some((e) => e.includes('request.userInfo.groups'))).toBe(true);

    // The identity it lets through is the service account the portal and the worker run as.
    const sa = one('ServiceAccount');
    expect(expressions.join('\n')).toContain(`'system:serviceaccount:${sa.metadata.namespace}:${sa.metadata.name}'`);
    for (const d of ofKind('Deployment')) expect(d.spec.template.spec.serviceAccountName).toBe(sa.metadata.name);
  });

  it('the break-glass group is in the policy and documented in its comments', () => {
    const policy = one('ValidatingAdmissionPolicy');
    const group = /'([a-z0-9.-]+:break-glass)' in request\.userInfo\.groups/.exec(
      policy.spec.variables.map((v: TAny) => v.expression).join('\n'),
    )?.[1];
    expect(group).toBe('ingress-gate:break-glass');
    const comments = texts['admission-policy.yaml']!.split('\n')
      .filter((l) => l.trimStart().startsWith('#'))
      .join('\n');
    expect(comments).toContain(group);
    expect(comments).toMatch(/break-glass/i);
    // The recipe impersonates one identity in the group, which the writer role lets edit Ingresses.
    const impersonate = one('ClusterRole', 'ingress-gate-break-glass').rules as TAny[];
    expect(impersonate.find((r) => r.resources.includes('groups'))!.resourceNames).toEqual([group]);
    expect(impersonate.find((r) => r.resources.includes('users'))!.resourceNames).toEqual(['ingress-gate-break-glass']);
    expect(one('ClusterRoleBinding', 'ingress-gate-break-glass-writer').subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group },
    ]);
  });

  it('the binding applies the policy with Deny to label-selected namespaces only', () => {
    const policy = one('ValidatingAdmissionPolicy');
    const binding = one('ValidatingAdmissionPolicyBinding');
    expect(binding.spec.policyName).toBe(policy.metadata.name);
    expect(binding.spec.validationActions).toContain('Deny');
    expect(binding.spec.validationActions).not.toContain('Warn');
    const labels = binding.spec.matchResources.namespaceSelector.matchLabels as Record<string, string>;
    expect(Object.keys(labels).length).toBeGreaterThan(0);
    const [key, value] = Object.entries(labels)[0]!;
    expect(texts['admission-policy.yaml']).toContain(`kubectl label namespace shop ${key}=${value}`);
  });

  it('RBAC: least privilege for the portal, bound to its service account', () => {
    const role = one('ClusterRole', 'ingress-gate');
    const ingressRule = role.rules.find((r: TAny) => r.resources.includes('ingresses'));
    expect(ingressRule.verbs).toEqual(expect.arrayContaining(['get', 'list', 'watch', 'create', 'update', 'delete']));
    expect(role.rules.some((r: TAny) => r.resources.includes('secrets'))).toBe(false);
    expect(role.rules.flatMap((r: TAny) => r.verbs)).not.toContain('*');
    const binding = one('ClusterRoleBinding', 'ingress-gate');
    const sa = one('ServiceAccount');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'ingress-gate' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: sa.metadata.name, namespace: sa.metadata.namespace }]);
  });

  it('a Deployment for the portal and one for the worker, and a Service that reaches the portal', () => {
    const portal = one('Deployment', 'ingress-gate-portal');
    const worker = one('Deployment', 'ingress-gate-worker');
    for (const d of [portal, worker]) {
      const labels = d.spec.template.metadata.labels as Record<string, string>;
      for (const [k, v] of Object.entries(d.spec.selector.matchLabels as Record<string, string>)) expect(labels[k]).toBe(v);
      const pod = d.spec.template.spec;
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
        expect(c.image, c.name).toMatch(/\S/);
        expect(c.command?.length, c.name).toBeGreaterThan(0);
        expect(c.securityContext.allowPrivilegeEscalation, c.name).toBe(false);
        expect(c.resources.requests, c.name).toBeDefined();
        expect(
          c.envFrom.map((e: TAny) => e.secretRef?.name ?? e.configMapRef?.name),
          c.name,
        ).toEqual(['ingress-gate-config', 'ingress-gate-env']);
        for (const m of c.volumeMounts ?? [])
          expect(
            pod.volumes.map((v: TAny) => v.name),
            `${c.name} mount ${m.name}`,
          ).toContain(m.name);
      }
    }
    expect(worker.spec.template.spec.containers[0].command.join(' ')).toContain('lib/worker/main.ts');
    expect(portal.spec.template.spec.initContainers[0].command.join(' ')).toContain('db-deploy');
    one('ConfigMap', 'ingress-gate-config');
    // Issue 19: more than one of each, spread over nodes (the worker's drift watch is leader-elected).
    for (const d of [portal, worker]) {
      expect(d.spec.replicas, d.metadata.name).toBeGreaterThan(1);
      const spread = d.spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm;
      expect(spread.topologyKey).toBe('kubernetes.io/hostname');
      expect(spread.labelSelector.matchLabels).toEqual(d.spec.selector.matchLabels);
    }

    const service = one('Service', 'ingress-gate');
    const podLabels = portal.spec.template.metadata.labels as Record<string, string>;
    for (const [k, v] of Object.entries(service.spec.selector as Record<string, string>)) expect(podLabels[k]).toBe(v);
    const portNames = portal.spec.template.spec.containers[0].ports.map((p: TAny) => p.name);
    for (const p of service.spec.ports) expect(portNames).toContain(p.targetPort);
    // The Service must not also select the worker, which serves nothing.
    const workerLabels = worker.spec.template.metadata.labels as Record<string, string>;
    expect(Object.entries(service.spec.selector as Record<string, string>).every(([k, v]) => workerLabels[k] === v)).toBe(false);
  });
});

describe('guard health knows the shipped guard', () => {
  it('the policy and binding carry the version, names and label the portal checks (lib/domain/guard)', async () => {
    const g = await import('@/lib/domain/guard/guard-health');
    const policy = one('ValidatingAdmissionPolicy', g.GUARD_POLICY_NAME);
    const binding = one('ValidatingAdmissionPolicyBinding', g.GUARD_BINDING_NAME);
    expect(policy.metadata.labels[g.GUARD_VERSION_LABEL]).toBe(g.GUARD_VERSION);
    expect(binding.metadata.labels[g.GUARD_VERSION_LABEL]).toBe(g.GUARD_VERSION);
    expect(binding.spec.policyName).toBe(g.GUARD_POLICY_NAME);
    expect(JSON.stringify(binding.spec)).toContain(g.PROTECTED_LABEL);
  });
});
