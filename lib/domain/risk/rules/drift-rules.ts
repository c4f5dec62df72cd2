import { diffNormalised } from '../../ingress/diff-ingress';
import { routingTable } from '../../ingress/routing-table';
import type { TRiskRule } from '../types';

export const DRIFT_RULES: TRiskRule[] = [
  {
    id: 'drift-detected',
    severity: 'medium',
    title: 'Live object changed outside the portal',
    why: 'The live Ingress differs from the last revision applied through the portal: someone changed it directly. This review compares against the live object, so that out-of-band change is kept or reverted without anyone having approved it.',
    reference: 'https://kubernetes.io/docs/reference/using-api/server-side-apply/',
    check: (ctx) => {
      if (!ctx.base || !ctx.lastApplied || ctx.baseHash === ctx.lastAppliedHash) return [];
      const d = diffNormalised(ctx.lastApplied, ctx.base, routingTable(ctx.lastApplied), ctx.baseRows);
      const parts = [
        d.routeCounts.added + d.routeCounts.removed + d.routeCounts.changed > 0
          ? `${d.routeCounts.added + d.routeCounts.removed + d.routeCounts.changed} route(s)`
          : '',
        d.annotations.length > 0 ? `${d.annotations.length} annotation(s)` : '',
        d.ingressClass ? 'the class' : '',
        d.tls.length > 0 ? 'TLS' : '',
      ].filter(Boolean);
      return [
        {
          message: `live object differs from the last applied revision${parts.length ? ` (${parts.join(', ')})` : ''}`,
          path: '',
          side: 'base',
        },
      ];
    },
  },
];
