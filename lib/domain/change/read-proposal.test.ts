import { describe, expect, it } from 'vitest';
import { readProposal } from './read-proposal';

const YAML = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
    - host: web.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80
`;
const FORM = {
  name: 'web',
  rules: [{ host: 'web.example.com', paths: [{ path: '/', pathType: 'Prefix', serviceName: 'web', servicePort: '80' }] }],
};

describe('readProposal: one reader for the browser and the server', () => {
  it('YAML and the form describing the same Ingress read to the same manifest', () => {
    const fromYaml = readProposal({ yaml: YAML }, { namespace: 'shop' });
    const fromForm = readProposal({ form: FORM }, { namespace: 'shop' });
    expect(fromYaml.ok && fromForm.ok).toBe(true);
    if (!fromYaml.ok || !fromForm.ok) return;
    expect(fromForm.ingress).toEqual(fromYaml.ingress);
    expect(fromYaml.ingress.metadata.namespace).toBe('shop');
  });

  it('returns where each field was typed only when asked', () => {
    const plain = readProposal({ yaml: YAML }, { namespace: 'shop' });
    const located = readProposal({ yaml: YAML }, { namespace: 'shop', sourceLines: true });
    expect(plain.ok && 'sourceLines' in plain).toBe(false);
    expect(located.ok && located.sourceLines?.get('metadata.name')).toBe(4);
  });

  it('a NUL in YAML text is refused at its line and column, before parsing', () => {
    const r = readProposal({ yaml: YAML.replace('name: web\n', 'name: w\u0000eb\n') }, { namespace: 'shop' });
    expect(r).toMatchObject({ ok: false, issues: [{ path: 'yaml', line: 4, column: 10 }] });
    expect(!r.ok && r.message).toMatch(/^The YAML contains a NUL character/);
  });

  it('YAML syntax problems carry their line', () => {
    const r = readProposal({ yaml: 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: [oops\n' }, { namespace: 'shop' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toMatch(/^The YAML is not a valid Ingress \(\d+ problems?\)\.$/);
    expect(r.issues[0]!.line).toBeGreaterThan(0);
  });

  it('form schema problems are at form.* paths', () => {
    const r = readProposal(
      { form: { ...FORM, name: '', rules: [{ host: '', paths: [{ path: '/', serviceName: '', servicePort: '' }] }] } },
      { namespace: 'shop' },
    );
    expect(r).toMatchObject({ ok: false, message: 'The form has errors.' });
    expect(!r.ok && r.issues.map((i) => i.path).sort()).toEqual([
      'form.name',
      'form.rules.0.paths.0.serviceName',
      'form.rules.0.paths.0.servicePort',
    ]);
  });

  it('a form that builds an invalid Ingress is refused with the API server’s paths', () => {
    const r = readProposal({ form: { ...FORM, rules: [{ ...FORM.rules[0], host: 'Not A Host' }] } }, { namespace: 'shop' });
    expect(r).toMatchObject({ ok: false, message: 'The form does not describe a valid Ingress.' });
    expect(!r.ok && r.issues.some((i) => i.path === 'spec.rules[0].host')).toBe(true);
  });

  it('a control character in a form value is refused with its path', () => {
    const r = readProposal({ form: { ...FORM, annotations: [{ key: 'note', value: 'a\u0007b' }] } }, { namespace: 'shop' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues[0]!.path).toContain('annotations');
  });

  it('without a namespace yet (the browser before one is chosen) the form still reads', () => {
    const r = readProposal({ form: FORM }, { namespace: undefined });
    expect(r.ok && r.ingress.metadata.namespace).toBe('default');
  });

  it('a manifest is validated against the namespace', () => {
    const good = readProposal({ yaml: YAML }, { namespace: 'shop' });
    if (!good.ok) throw new Error('fixture');
    expect(readProposal({ manifest: good.ingress }, { namespace: 'shop' }).ok).toBe(true);
    expect(readProposal({ manifest: good.ingress }, { namespace: 'other' })).toMatchObject({
      ok: false,
      message: 'The manifest is not a valid Ingress.',
    });
  });
});
