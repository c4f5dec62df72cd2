import { stringify as toYaml } from 'yaml';

export type TKubeconfigOptions = { token?: string; insecureSkipTlsVerify?: boolean; withCa?: boolean; context?: string };

/** A kubeconfig for a sandbox URL (insecure-skip-tls-verify for http; CA data for https unless withCa is false). */
export function kubeconfigFor(server: string, caCert: string | null, defaultToken: string, k: TKubeconfigOptions = {}): string {
  const token = k.token ?? defaultToken;
  const contextName = k.context ?? 'fake';
  const insecure = k.insecureSkipTlsVerify ?? !caCert;
  const cluster: Record<string, unknown> = { server };
  if (insecure) cluster['insecure-skip-tls-verify'] = true;
  else if (caCert && k.withCa !== false) cluster['certificate-authority-data'] = Buffer.from(caCert).toString('base64');
  return toYaml(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'fake', cluster }],
      users: [{ name: 'fake-user', user: { token } }],
      contexts: [{ name: contextName, context: { cluster: 'fake', user: 'fake-user', namespace: 'default' } }],
      'current-context': contextName,
    },
    { lineWidth: 0 },
  );
}
