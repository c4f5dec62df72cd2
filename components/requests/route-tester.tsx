'use client';

import { useMemo, useState } from 'react';
import { parseIngress } from '@/lib/domain/ingress/parse-ingress';
import type { TIngress } from '@/lib/domain/ingress/types';
import { resolveRoute, type TRouteMatch } from '@/lib/domain/routing/resolve-route';
import { input, label } from '@/components/ui/buttons';

function parsed(yaml: string): TIngress | null {
  if (!yaml.trim()) return null;
  const r = parseIngress(yaml);
  return r.ok ? r.ingress : null;
}

function Answer({ title, match, hasIngress }: { title: string; match: TRouteMatch | null; hasIngress: boolean }) {
  return (
    <div className="rounded border border-slate-200 p-3 text-sm" data-testid={`route-${title.toLowerCase()}`}>
      <p className="text-xs font-semibold uppercase text-slate-500">{title}</p>
      {!hasIngress ? (
        <p className="mt-1 text-slate-600">The Ingress does not exist.</p>
      ) : !match ? (
        <p className="mt-1 font-medium text-slate-800">Not served by this Ingress (404 from the controller).</p>
      ) : (
        <>
          <p className="mt-1 font-mono text-base font-semibold">{match.backendLabel}</p>
          <p className="text-xs text-slate-600">
            {match.matchedBy === 'default-backend' ? 'default backend' : `${match.host || '(any host)'} ${match.path} (${match.pathType})`}
          </p>
          <p className={`text-xs ${match.isTlsMissing ? 'font-semibold text-red-800' : 'text-slate-600'}`}>{match.tls ? `TLS: ${match.tls.secretName}` : match.isTlsMissing ? 'HTTPS requested but no TLS entry covers this host' : 'no TLS'}</p>
        </>
      )}
    </div>
  );
}

/** "Which backend serves this URL, before and after?" — the same resolver the domain tests pin down. */
export function RouteTester({ baseYaml, proposedYaml, suggestion }: { baseYaml: string; proposedYaml: string; suggestion: string }) {
  const [url, setUrl] = useState(suggestion);
  const before = useMemo(() => parsed(baseYaml), [baseYaml]);
  const after = useMemo(() => parsed(proposedYaml), [proposedYaml]);
  const isValid = useMemo(() => {
    try {
      new URL(url);
      return true;
    } catch {
      return false;
    }
  }, [url]);
  return (
    <div className="space-y-3" data-testid="route-tester">
      <div>
        <label htmlFor="route-url" className={label}>
          URL to test
        </label>
        <input id="route-url" className={`${input} font-mono`} value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://shop.example.com/api/cart" aria-invalid={!isValid} />
        {!isValid && <p className="mt-0.5 text-xs text-red-700">Enter a full URL, e.g. https://shop.example.com/api/cart</p>}
      </div>
      {isValid && (
        <div className="grid gap-3 sm:grid-cols-2">
          <Answer title="Before" match={before ? resolveRoute([before], url) : null} hasIngress={before !== null} />
          <Answer title="After" match={after ? resolveRoute([after], url) : null} hasIngress={after !== null} />
        </div>
      )}
      <p className="text-xs text-slate-500">Resolved against this Ingress only, with Kubernetes path-matching rules.</p>
    </div>
  );
}
