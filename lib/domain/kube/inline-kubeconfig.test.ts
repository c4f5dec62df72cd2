import { describe, expect, it } from 'vitest';
import { checkInlineKubeconfig } from './inline-kubeconfig';

const base = (user: string, cluster = 'server: https://k.example.com:6443\n    certificate-authority-data: QUJD') => `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    ${cluster}
users:
- name: u
  user:
    ${user}
contexts:
- name: x
  context:
    cluster: c
    user: u
    namespace: default
current-context: x
`;

const TABLE: { name: string; text: string; paths: string[] }[] = [
  { name: 'token', text: base('token: abc'), paths: [] },
  { name: 'client certificate data', text: base('client-certificate-data: QQ==\n    client-key-data: QQ=='), paths: [] },
  {
    name: 'insecure skip + tls-server-name',
    text: base('token: a', 'server: https://k\n    insecure-skip-tls-verify: true\n    tls-server-name: k'),
    paths: [],
  },
  { name: 'exec plugin', text: base('exec:\n      command: /bin/sh\n      args: ["-c", "touch /tmp/x"]'), paths: ['users[0].user.exec'] },
  { name: 'auth-provider', text: base('auth-provider:\n      name: gcp'), paths: ['users[0].user.auth-provider'] },
  { name: 'tokenFile', text: base('tokenFile: /etc/passwd'), paths: ['users[0].user.tokenFile'] },
  {
    name: 'client certificate file',
    text: base('client-certificate: /etc/k.crt\n    client-key: /etc/k.key'),
    paths: ['users[0].user.client-certificate', 'users[0].user.client-key'],
  },
  {
    name: 'CA file',
    text: base('token: a', 'server: https://k\n    certificate-authority: /etc/ca.crt'),
    paths: ['clusters[0].cluster.certificate-authority'],
  },
  {
    name: 'proxy-url',
    text: base('token: a', 'server: https://k\n    proxy-url: http://attacker:3128'),
    paths: ['clusters[0].cluster.proxy-url'],
  },
  { name: 'basic auth', text: base('username: a\n    password: b'), paths: ['users[0].user.username', 'users[0].user.password'] },
  { name: 'impersonation', text: base('token: a\n    as: system:admin'), paths: ['users[0].user.as'] },
];

describe('checkInlineKubeconfig', () => {
  it.each(TABLE)('$name', ({ text, paths }) => {
    const issues = checkInlineKubeconfig(text);
    expect(issues.map((i) => i.path)).toEqual(paths);
    for (const i of issues) expect(i.message).toContain(i.path);
  });

  it('names why exec is refused and never quotes the value', () => {
    const [issue] = checkInlineKubeconfig(base('exec:\n      command: /bin/sh-secret-marker'));
    expect(issue?.message).toMatch(/runs a command on the portal server/);
    expect(issue?.message).not.toContain('secret-marker');
  });

  it('not YAML, not a mapping, unknown top-level keys', () => {
    expect(checkInlineKubeconfig('token: "abc\n  : [')).toEqual([{ path: '', message: 'the kubeconfig is not valid YAML' }]);
    expect(checkInlineKubeconfig('- a')[0]?.path).toBe('');
    expect(checkInlineKubeconfig('apiVersion: v1\nplugins: {}').map((i) => i.path)).toEqual(['plugins']);
  });
});
