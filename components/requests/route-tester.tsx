'use client';

import { useMemo, useState, useTransition } from 'react';
import { routeContextAction } from '@/lib/web/actions/change-request-actions';
import { parseIngress } from '@/lib/domain/ingress/parse-ingress';
import type { TIngress } from '@/lib/domain/ingress/types';
import { resolveRoute, type TRouteMatch } from '@/lib/domain/routing/resolve-route';
import { input, label } from '@/components/ui/field';

function parsed(yaml: string): TIngress | null {
  if (!yaml.trim()) return null;
  const r = parseIngress(yaml);
  return r.ok ? r.ingress : null;
}

function Answer({ title, match, hasIngress, subject }: { title: string; match: TRouteMatch | null; hasIngress: boolean; subject: string }) {
  const isOther = match !== null && `${match.namespace}/${match.ingress}` !== subject;
  return (
    <div className="rounded border border-slate-200 p-3 text-sm" data-testid={`route-${title.toLowerCase()}`}>
      <p className="text-xs font-semibold uppercase text-slate-500">{title}</p>
      {!hasIngress ? (
        <p className="mt-1 text-slate-600">The Ingress does not exist.</p>
      ) : !match ? (
        <p className="mt-1 font-medium text-slate-800">No Ingress serves it (404 from the controller).</p>
      ) : (
        <>
          <p className="mt-1 font-mono text-base font-semibold">{match.backendLabel}</p>
          <p className={`text-xs ${isOther ? 'font-semibold text-amber-900' : 'text-slate-600'}`}>
            via {match.namespace}/{match.ingress}
            {isOther ? ' (another Ingress)' : ''}
          </p>
          <p className="text-xs text-slate-600">
            {match.matchedBy === 'default-backend' ? 'default backend' : `${match.host || '(any host)'} ${match.path} (${match.pathType})`}
          </p>
          <p className={`text-xs ${match.isTlsMissing ? 'font-semibold text-red-800' : 'text-slate-600'}`}>
            {match.tls
              ? `TLS: ${match.tls.secretName}`
              : match.isTlsMissing
                ? 'HTTPS requested but no TLS entry covers this host'
                : 'no TLS'}
          </p>
        </>
      )}
    </div>
  );
}

/** "Which backend serves this URL, before and after?" — the same resolver the domain tests pin down. */
export function RouteTester({
  requestId,
  subject,
  baseYaml,
  proposedYaml,
  suggestion,
}: {
  requestId: string;
  subject: string;
  baseYaml: string;
  proposedYaml: string;
  suggestion: string;
}) {
  const [url, setUrl] = useState(suggestion);
  // Cluster-wide: the other Ingresses of the same class, fetched once when asked for.
  const [cluster, setCluster] = useState<{ ingressClass: string | null; others: TIngress[] } | null>(null);
  const [isWholeCluster, setIsWholeCluster] = useState(false);
  const [clusterError, setClusterError] = useState<string | null>(null);
  const [isLoading, startLoading] = useTransition();
  const others = isWholeCluster && cluster ? cluster.others : [];
  const toggleCluster = (on: boolean) => {
    setIsWholeCluster(on);
    if (!on || cluster) return;
    setClusterError(null);
    startLoading(async () => {
      const r = await routeContextAction(requestId);
      if (r.ok) setCluster(r.data);
      else {
        setClusterError(r.message);
        setIsWholeCluster(false);
      }
    });
  };
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
        <input
          id="route-url"
          className={`${input} font-mono`}
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder="https://shop.example.com/api/cart"
          aria-invalid={!isValid}
        />
        {!isValid && <p className="mt-0.5 text-xs text-red-700">Enter a full URL, e.g. https://shop.example.com/api/cart</p>}
      </div>
      {isValid && (
        <div className="grid gap-3 sm:grid-cols-2">
          <Answer
            title="Before"
            match={resolveRoute(before ? [before, ...others] : others, url)}
            hasIngress={before !== null || others.length > 0}
            subject={subject}
          />
          <Answer
            title="After"
            match={resolveRoute(after ? [after, ...others] : others, url)}
            hasIngress={after !== null || others.length > 0}
            subject={subject}
          />
        </div>
      )}
      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          checked={isWholeCluster}
          onChange={(e) => toggleCluster(e.target.checked)}
          data-testid="route-whole-cluster"
        />
        Include the cluster&apos;s other Ingresses of the same class
        {cluster ? ` (${cluster.others.length}, class ${cluster.ingressClass ?? 'none'})` : ''}
        {isLoading && <span className="text-xs text-slate-500">loading…</span>}
      </label>
      {clusterError && (
        <p role="alert" className="text-xs text-red-800">
          {clusterError}
        </p>
      )}
      <p className="text-xs text-slate-500">
        Resolved with Kubernetes matching rules (exact host before wildcard, Exact before Prefix, longest prefix) against{' '}
        {isWholeCluster ? 'this Ingress and the other live Ingresses its controller serves' : 'this Ingress only'}.
      </p>
    </div>
  );
}
