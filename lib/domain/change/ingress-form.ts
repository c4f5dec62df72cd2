import { z } from 'zod';
import type { TIngress, TPathType } from '../ingress/types';

/**
 * The structured form's fields. It builds the same TIngress the YAML path parses, so both ways in
 * end in the same canonical manifest and the same validation (validateIngressObject).
 */
export const ZIngressForm = z.object({
  name: z.string().trim().min(1, 'Name is required.'),
  ingressClassName: z.string().trim().optional().default(''),
  rules: z
    .array(
      z.object({
        host: z.string().trim().toLowerCase().default(''),
        paths: z
          .array(
            z.object({
              path: z.string().trim().default('/'),
              pathType: z.enum(['Prefix', 'Exact', 'ImplementationSpecific']).default('Prefix'),
              serviceName: z.string().trim().min(1, 'Backend service is required.'),
              servicePort: z.union([z.number().int(), z.string().trim().min(1, 'Backend port is required.')]),
            }),
          )
          .min(1, 'Add at least one path.'),
      }),
    )
    .default([]),
  tls: z
    .array(z.object({ hosts: z.array(z.string().trim().toLowerCase()).default([]), secretName: z.string().trim().default('') }))
    .default([]),
  labels: z.array(z.object({ key: z.string().trim().min(1, 'Label key is required.'), value: z.string() })).default([]),
  annotations: z.array(z.object({ key: z.string().trim().min(1, 'Annotation key is required.'), value: z.string() })).default([]),
});

export type TIngressForm = z.infer<typeof ZIngressForm>;
export type TIngressFormInput = z.input<typeof ZIngressForm>;

/** A port field: digits are a port number, anything else a port name. */
function port(value: number | string): { number: number } | { name: string } {
  if (typeof value === 'number') return { number: value };
  return /^\d+$/.test(value) ? { number: Number(value) } : { name: value };
}

/** Builds the Ingress the form describes; empty optional fields are left out, not emitted empty. */
export function ingressFromForm(form: TIngressForm, namespace: string): TIngress {
  const annotations = Object.fromEntries(form.annotations.map((a) => [a.key, a.value]));
  const labels = Object.fromEntries(form.labels.map((l) => [l.key, l.value]));
  const ingress: TIngress = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: form.name,
      namespace,
      ...(form.labels.length ? { labels } : {}),
      ...(form.annotations.length ? { annotations } : {}),
    },
    spec: {
      ...(form.ingressClassName ? { ingressClassName: form.ingressClassName } : {}),
      ...(form.tls.length
        ? {
            tls: form.tls.map((t) => ({
              ...(t.hosts.length ? { hosts: t.hosts } : {}),
              ...(t.secretName ? { secretName: t.secretName } : {}),
            })),
          }
        : {}),
      rules: form.rules.map((r) => ({
        ...(r.host ? { host: r.host } : {}),
        http: {
          paths: r.paths.map((p) => ({
            path: p.path,
            pathType: p.pathType as TPathType,
            backend: { service: { name: p.serviceName, port: port(p.servicePort) } },
          })),
        },
      })),
    },
  };
  return ingress;
}

/**
 * The reverse, for switching from YAML to the form without losing input. Returns null when the
 * Ingress uses something the form cannot show (resource backends, defaultBackend, a rule without
 * http), so the UI keeps the YAML editor instead of silently dropping fields.
 */
export function formFromIngress(ingress: TIngress): TIngressForm | null {
  const spec = ingress.spec ?? {};
  if (spec.defaultBackend) return null;
  const rules: TIngressForm['rules'] = [];
  for (const rule of spec.rules ?? []) {
    if (!rule.http) return null;
    const paths: TIngressForm['rules'][number]['paths'] = [];
    for (const p of rule.http.paths) {
      const service = p.backend.service;
      if (!service) return null;
      paths.push({
        path: p.path ?? '/',
        pathType: p.pathType,
        serviceName: service.name,
        servicePort: service.port.number ?? service.port.name ?? '',
      });
    }
    rules.push({ host: rule.host ?? '', paths });
  }
  return {
    name: ingress.metadata.name,
    ingressClassName: spec.ingressClassName ?? '',
    rules,
    tls: (spec.tls ?? []).map((t) => ({ hosts: t.hosts ?? [], secretName: t.secretName ?? '' })),
    labels: Object.entries(ingress.metadata.labels ?? {}).map(([key, value]) => ({ key, value })),
    annotations: Object.entries(ingress.metadata.annotations ?? {}).map(([key, value]) => ({ key, value })),
  };
}
