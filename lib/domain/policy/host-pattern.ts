const cache = new Map<string, RegExp>();

/**
 * Whether `host` matches an allowed-host pattern.
 * - `shop.example.com` matches only itself
 * - `*.example.com` matches exactly one label (`a.example.com`, and the wildcard host
 *   `*.example.com` itself), not `example.com` and not `a.b.example.com` — as Kubernetes wildcards
 * - `**.example.com` matches any depth below example.com
 * - an empty host (a rule for every host) matches no pattern except `**`
 */
export function matchesHostPattern(pattern: string, host: string): boolean {
  if (host === '') return pattern === '**';
  let re = cache.get(pattern);
  if (!re) {
    const body = pattern
      .toLowerCase()
      .split(/(\*\*|\*)/)
      .map((part) => (part === '**' ? '.+' : part === '*' ? '[^.]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`);
    cache.set(pattern, re);
  }
  return re.test(host.toLowerCase());
}

/** Glob for names (namespaces, classes, annotation keys): `*` matches any run of characters. */
export function matchesNameGlob(pattern: string, name: string): boolean {
  if (!pattern.includes('*')) return pattern === name;
  const parts = pattern.split('*');
  let re = cache.get(`name:${pattern}`);
  if (!re) {
    re = new RegExp(`^${parts.map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    cache.set(`name:${pattern}`, re);
  }
  return re.test(name);
}
