import { mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectionForEnvironment, type TEnvironmentConnectionRow } from './kube-client-for-environment';
import { sealSecret } from './secret-box';

const KEY = 'x'.repeat(48);
const row = (r: Partial<TEnvironmentConnectionRow>): TEnvironmentConnectionRow => ({
  id: 'env-1',
  connectionKind: 'SANDBOX',
  kubeconfigPath: null,
  kubeContext: null,
  kubeconfigSealed: null,
  ...r,
});

describe('connectionForEnvironment', () => {
  it('SANDBOX takes URL and token from the start script', () => {
    expect(
      connectionForEnvironment(row({}), { INGRESS_GATE_SANDBOX_URL: 'http://127.0.0.1:1234', INGRESS_GATE_SANDBOX_TOKEN: 't' }),
    ).toEqual({
      kind: 'SANDBOX',
      server: 'http://127.0.0.1:1234',
      token: 't',
    });
    expect(() => connectionForEnvironment(row({}), {})).toThrow(/sandbox cluster is not running/);
  });

  it('SANDBOX with a cluster name (stored as the context) reaches that named sandbox cluster; a name that is not a DNS label is refused', () => {
    const source = { INGRESS_GATE_SANDBOX_URL: 'http://127.0.0.1:1234', INGRESS_GATE_SANDBOX_TOKEN: 't' };
    expect(connectionForEnvironment(row({ kubeContext: 'prod' }), source)).toEqual({
      kind: 'SANDBOX',
      server: 'http://127.0.0.1:1234/clusters/prod',
      token: 't',
    });
    expect(() => connectionForEnvironment(row({ kubeContext: '../prod' }), source)).toThrow(/sandbox cluster name/);
  });

  it('KUBECONFIG_FILE: only a file name inside INGRESS_GATE_KUBECONFIG_DIR; the context is passed on', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeconfigs-'));
    const outside = mkdtempSync(join(tmpdir(), 'outside-'));
    try {
      writeFileSync(join(dir, 'prod.yaml'), 'apiVersion: v1');
      writeFileSync(join(outside, 'secret'), 'x');
      symlinkSync(join(outside, 'secret'), join(dir, 'escape'));
      const source = { INGRESS_GATE_KUBECONFIG_DIR: dir };
      const file = (kubeconfigPath: string | null) => row({ connectionKind: 'KUBECONFIG_FILE', kubeconfigPath, kubeContext: 'prod' });
      expect(connectionForEnvironment(file('prod.yaml'), source)).toEqual({
        kind: 'KUBECONFIG_FILE',
        path: realpathSync(join(dir, 'prod.yaml')),
        context: 'prod',
      });
      expect(() => connectionForEnvironment(row({ connectionKind: 'KUBECONFIG_FILE' }), source)).toThrow(/no path/);
      expect(() => connectionForEnvironment(file('prod.yaml'), {})).toThrow(/INGRESS_GATE_KUBECONFIG_DIR/);
      expect(() => connectionForEnvironment(file('/etc/passwd'), source)).toThrow(/file name .*not a path/);
      expect(() => connectionForEnvironment(file('../outside/secret'), source)).toThrow(/not a path/);
      expect(() => connectionForEnvironment(file('escape'), source)).toThrow(/leads outside/);
      expect(() => connectionForEnvironment(file('missing.yaml'), source)).toThrow(/"missing.yaml" is not in/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('KUBECONFIG_INLINE opens the sealed value bound to this environment', () => {
    const sealed = sealSecret('apiVersion: v1', KEY, 'env-1');
    expect(
      connectionForEnvironment(row({ connectionKind: 'KUBECONFIG_INLINE', kubeconfigSealed: sealed }), { INGRESS_GATE_SECRET_KEY: KEY }),
    ).toEqual({
      kind: 'KUBECONFIG_INLINE',
      kubeconfig: 'apiVersion: v1',
      context: null,
    });
    // Copied into another environment's row, it does not open.
    expect(() =>
      connectionForEnvironment(row({ id: 'env-2', connectionKind: 'KUBECONFIG_INLINE', kubeconfigSealed: sealed }), {
        INGRESS_GATE_SECRET_KEY: KEY,
      }),
    ).toThrow(/cannot be opened/);
    expect(() => connectionForEnvironment(row({ connectionKind: 'KUBECONFIG_INLINE', kubeconfigSealed: sealed }), {})).toThrow(
      /INGRESS_GATE_SECRET_KEY is not set/,
    );
  });

  it('IN_CLUSTER needs nothing stored', () => {
    expect(connectionForEnvironment(row({ connectionKind: 'IN_CLUSTER' }), {})).toEqual({ kind: 'IN_CLUSTER' });
  });
});
