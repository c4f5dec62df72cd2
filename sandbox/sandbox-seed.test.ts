import { describe, expect, it } from 'vitest';
import { validateIngressObject } from '@/lib/domain/ingress/validate-ingress';
import { SANDBOX_INGRESSES, SANDBOX_SERVICES } from './sandbox-seed';

describe('sandbox seed', () => {
  it.each(SANDBOX_INGRESSES.map((i) => [`${(i.metadata as { namespace: string }).namespace}/${(i.metadata as { name: string }).name}`, i]))(
    '%s is a valid Ingress',
    (_name, obj) => {
      const { status: _status, ...manifest } = obj as Record<string, unknown>;
      expect(validateIngressObject(manifest)).toEqual([]);
    },
  );

  it('every backend points at a seeded Service port in the same namespace', () => {
    const ports = new Set(
      SANDBOX_SERVICES.flatMap((s) => {
        const meta = s.metadata as { namespace: string; name: string };
        return ((s.spec as { ports: { name: string; port: number }[] }).ports ?? []).flatMap((p) => [
          `${meta.namespace}/${meta.name}:${p.port}`,
          `${meta.namespace}/${meta.name}:${p.name}`,
        ]);
      }),
    );
    for (const ing of SANDBOX_INGRESSES) {
      const ns = (ing.metadata as { namespace: string }).namespace;
      const rules = (
        ing.spec as { rules: { http: { paths: { backend: { service: { name: string; port: { number?: number; name?: string } } } }[] } }[] }
      ).rules;
      for (const p of rules.flatMap((r) => r.http.paths)) {
        const { name, port } = p.backend.service;
        expect(ports).toContain(`${ns}/${name}:${port.number ?? port.name}`);
      }
    }
  });
});
