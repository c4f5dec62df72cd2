import { parse } from 'yaml';

export type TKubeconfigIssue = { path: string; message: string };

// What a pasted kubeconfig may carry: where the server is, how to trust it, and a credential that
// is data. Everything else either runs something on the portal's server (`exec`, `auth-provider`
// refreshes through commands), reads a file on it (`certificate-authority`, `client-certificate`,
// `client-key`, `tokenFile`), or sends the portal's traffic elsewhere (`proxy-url`), so a pasted
// kubeconfig could turn "admin of one environment" into "shell on the server".
const TOP_LEVEL = new Set(['apiVersion', 'kind', 'clusters', 'users', 'contexts', 'current-context', 'preferences', 'extensions']);
const CLUSTER = new Set(['server', 'certificate-authority-data', 'insecure-skip-tls-verify', 'tls-server-name', 'extensions']);
const USER = new Set(['token', 'client-certificate-data', 'client-key-data', 'extensions']);
const CONTEXT = new Set(['cluster', 'user', 'namespace', 'extensions']);

const WHY: Record<string, string> = {
  exec: 'runs a command on the portal server',
  'auth-provider': 'runs a credential plugin on the portal server',
  tokenFile: 'reads a file on the portal server',
  'certificate-authority': 'reads a file on the portal server; paste certificate-authority-data instead',
  'client-certificate': 'reads a file on the portal server; paste client-certificate-data instead',
  'client-key': 'reads a file on the portal server; paste client-key-data instead',
  'proxy-url': 'sends the portal’s cluster traffic through another host',
  username: 'basic authentication is not supported; use a token or a client certificate',
  password: 'basic authentication is not supported; use a token or a client certificate',
  as: 'impersonation is not allowed in a pasted kubeconfig',
  'as-groups': 'impersonation is not allowed in a pasted kubeconfig',
  'as-uid': 'impersonation is not allowed in a pasted kubeconfig',
  'as-user-extra': 'impersonation is not allowed in a pasted kubeconfig',
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkKeys(value: unknown, allowed: Set<string>, path: string, issues: TKubeconfigIssue[]): void {
  if (value === undefined || value === null) return;
  if (!isRecord(value)) {
    issues.push({ path, message: `${path} must be a mapping` });
    return;
  }
  for (const key of Object.keys(value)) {
    if (allowed.has(key)) continue;
    const why = WHY[key] ? `it ${WHY[key]}` : `a pasted kubeconfig may carry only ${[...allowed].join(', ')} here`;
    issues.push({ path: `${path}.${key}`, message: `${path}.${key} is not allowed: ${why}` });
  }
}

function checkList(root: Record<string, unknown>, list: string, inner: string, allowed: Set<string>, issues: TKubeconfigIssue[]): void {
  const items = root[list];
  if (items === undefined || items === null) return;
  if (!Array.isArray(items)) {
    issues.push({ path: list, message: `${list} must be a list` });
    return;
  }
  items.forEach((item, i) => {
    if (!isRecord(item)) {
      issues.push({ path: `${list}[${i}]`, message: `${list}[${i}] must be a mapping` });
      return;
    }
    for (const key of Object.keys(item)) {
      if (key !== 'name' && key !== inner) issues.push({ path: `${list}[${i}].${key}`, message: `${list}[${i}].${key} is not allowed` });
    }
    checkKeys(item[inner], allowed, `${list}[${i}].${inner}`, issues);
  });
}

/**
 * Checks a pasted kubeconfig against the allow-list above, before it is stored and again before
 * it is used (a value stored before this check existed, or written around it, is refused too).
 * Cases:
 * - not YAML, or not a mapping → one issue at the root (the text is never quoted: it holds secrets)
 * - any field outside the allow-list → one issue per field, naming it (`users[0].user.exec`)
 * - no issues → []
 * Credentials are never part of a message.
 */
export function checkInlineKubeconfig(text: string): TKubeconfigIssue[] {
  let doc: unknown;
  try {
    // Aliases can only repeat data here; a tiny limit still refuses alias bombs.
    doc = parse(text, { maxAliasCount: 10, uniqueKeys: true });
  } catch {
    return [{ path: '', message: 'the kubeconfig is not valid YAML' }];
  }
  if (!isRecord(doc)) return [{ path: '', message: 'the kubeconfig must be a YAML mapping (apiVersion, clusters, users, contexts)' }];
  const issues: TKubeconfigIssue[] = [];
  for (const key of Object.keys(doc)) {
    if (!TOP_LEVEL.has(key)) issues.push({ path: key, message: `${key} is not allowed in a pasted kubeconfig` });
  }
  checkList(doc, 'clusters', 'cluster', CLUSTER, issues);
  checkList(doc, 'users', 'user', USER, issues);
  checkList(doc, 'contexts', 'context', CONTEXT, issues);
  return issues;
}
