import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Test-only: reads a fixture beside this file. */
export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(name, import.meta.url)), 'utf8');
}

export const STYLE_FIXTURES = ['nginx-shop.yaml', 'alb-internal.yaml', 'traefik-blog.yaml', 'haproxy-api.json', 'cert-manager-wildcard.yaml'] as const;
