import type { TLineMap } from '../ingress/canonical-yaml';
import { RULES } from './rules';
import { severityRank } from './severity';
import type { TFinding, TRiskContext, TRiskRule } from './types';

// Drop the last segment: `.name` or `[key]` / `[0]`.
const LAST_SEGMENT = /(\.[^.[\]]+|\[[^\]]*\])$/;

/** Line of `path` in a canonical YAML line map, or of its nearest existing ancestor. */
export function lineOf(lines: TLineMap | null, path: string): number[] {
  if (!lines) return [];
  let p = path;
  for (;;) {
    const line = lines.get(p);
    if (line !== undefined) return [line];
    if (p === '') return [];
    const next = p.replace(LAST_SEGMENT, '');
    p = next === p ? '' : next;
  }
}

/**
 * Runs every rule and turns drafts into findings with line numbers, most severe first
 * (then by rule id, side and line, so the order is stable).
 * Cases: a rule that throws yields one `high` finding naming the rule instead of crashing the
 * analysis — a broken check must make the change harder to approve, never easier.
 */
export function runRules(
  ctx: TRiskContext,
  lines: { base: TLineMap | null; proposed: TLineMap | null },
  rules: readonly TRiskRule[] = RULES,
): TFinding[] {
  const findings: TFinding[] = [];
  for (const rule of rules) {
    let drafts;
    try {
      drafts = rule.check(ctx);
    } catch (e) {
      drafts = [{ message: `rule could not run: ${e instanceof Error ? e.message : String(e)}`, path: '', severity: 'high' as const }];
    }
    for (const d of drafts) {
      const side = d.side ?? 'proposed';
      findings.push({
        ruleId: rule.id,
        severity: d.severity ?? rule.severity,
        title: rule.title,
        why: rule.why,
        reference: rule.reference,
        message: d.message,
        side,
        path: d.path,
        lines: lineOf(side === 'base' ? lines.base : lines.proposed, d.path),
      });
    }
  }
  return findings.sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
      (a.side === b.side ? 0 : a.side === 'proposed' ? -1 : 1) ||
      (a.lines[0] ?? 0) - (b.lines[0] ?? 0),
  );
}
