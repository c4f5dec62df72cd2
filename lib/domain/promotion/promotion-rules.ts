import { z } from 'zod';
import type { TIngress } from '../ingress/types';
import { INGRESS_CLASS_ANNOTATION } from '../ingress/validate-ingress';

const DNS_SUFFIX = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const pair = (re: RegExp, what: string) =>
  z.object({
    from: z.string().trim().toLowerCase().regex(re, `Not a valid ${what}.`),
    to: z.string().trim().toLowerCase().regex(re, `Not a valid ${what}.`),
  });

/**
 * What an environment does to a manifest promoted into it (the *target's* rules), and what it
 * demands of earlier stages. Edited by admins, validated on every write.
 */
export const ZPromotionRules = z
  .object({
    hostSuffixes: z.array(pair(DNS_SUFFIX, 'DNS suffix')).max(20).default([]),
    tlsSecrets: z.array(pair(DNS_NAME, 'Secret name')).max(50).default([]),
    ingressClasses: z.array(pair(DNS_NAME, 'ingress class name')).max(20).default([]),
    namespaces: z.array(pair(DNS_LABEL, 'namespace')).max(50).default([]),
    priorStage: z
      .object({
        environment: z.string().trim().min(1, 'Name the earlier environment.'),
        minutes: z
          .number()
          .int('Minutes are whole numbers.')
          .min(0)
          .max(60 * 24 * 90, 'At most 90 days.'),
        onMissing: z.enum(['refuse', 'extra-approval']).default('refuse'),
      })
      .nullable()
      .default(null),
  })
  .strict();

export type TPromotionRules = z.infer<typeof ZPromotionRules>;
export type TMappingChange = { path: string; from: string; to: string };

export const NO_PROMOTION_RULES: TPromotionRules = {
  hostSuffixes: [],
  tlsSecrets: [],
  ingressClasses: [],
  namespaces: [],
  priorStage: null,
};

/** `host` with the longest matching suffix rule applied (on a label boundary), or unchanged. */
export function mapHost(host: string, rules: TPromotionRules['hostSuffixes']): string {
  let best: { from: string; to: string } | null = null;
  for (const r of rules) {
    const matches = host === r.from || host.endsWith(`.${r.from}`);
    if (matches && (!best || r.from.length > best.from.length)) best = r;
  }
  if (!best) return host;
  return host === best.from ? best.to : `${host.slice(0, host.length - best.from.length)}${best.to}`;
}

const exact = (value: string, rules: { from: string; to: string }[]) => rules.find((r) => r.from === value)?.to ?? value;

/** The namespace a source namespace maps to in the target environment. */
export function mapNamespace(namespace: string, rules: TPromotionRules): string {
  return exact(namespace, rules.namespaces);
}

/**
 * Transforms a source environment's manifest for the target environment. Cases:
 * - each rules[].host and tls[].hosts entry: the longest host-suffix rule that matches on a label
 *   boundary (`shop.staging.example.com` with `staging.example.com → example.com`); a wildcard keeps its `*.`
 * - tls[].secretName, spec.ingressClassName and the legacy class annotation, metadata.namespace:
 *   exact-name rules
 * - anything without a rule is copied unchanged; the input is never modified
 * Returns the new manifest and every change made (field path, before, after) for the page.
 */
export function mapManifest(source: TIngress, rules: TPromotionRules): { ingress: TIngress; changes: TMappingChange[] } {
  const out = structuredClone(source);
  const changes: TMappingChange[] = [];
  const note = (path: string, from: string, to: string) => {
    if (from !== to) changes.push({ path, from, to });
    return to;
  };
  if (out.metadata.namespace)
    out.metadata.namespace = note('metadata.namespace', out.metadata.namespace, mapNamespace(out.metadata.namespace, rules));
  const annotations = out.metadata.annotations;
  if (annotations?.[INGRESS_CLASS_ANNOTATION]) {
    annotations[INGRESS_CLASS_ANNOTATION] = note(
      `metadata.annotations["${INGRESS_CLASS_ANNOTATION}"]`,
      annotations[INGRESS_CLASS_ANNOTATION],
      exact(annotations[INGRESS_CLASS_ANNOTATION], rules.ingressClasses),
    );
  }
  const spec = out.spec;
  if (spec) {
    if (spec.ingressClassName)
      spec.ingressClassName = note('spec.ingressClassName', spec.ingressClassName, exact(spec.ingressClassName, rules.ingressClasses));
    spec.rules?.forEach((rule, i) => {
      if (rule.host) rule.host = note(`spec.rules[${i}].host`, rule.host, mapHost(rule.host, rules.hostSuffixes));
    });
    spec.tls?.forEach((tls, i) => {
      tls.hosts = tls.hosts?.map((h, j) => note(`spec.tls[${i}].hosts[${j}]`, h, mapHost(h, rules.hostSuffixes)));
      if (tls.secretName) tls.secretName = note(`spec.tls[${i}].secretName`, tls.secretName, exact(tls.secretName, rules.tlsSecrets));
    });
  }
  return { ingress: out, changes };
}
