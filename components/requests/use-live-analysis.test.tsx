import { act, renderHook, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { readProposal } from '@/lib/domain/change/read-proposal';
import type { TIngress } from '@/lib/domain/ingress/types';
import { ZPolicy } from '@/lib/domain/policy/policy';
import type { TAnalysisContext } from '@/lib/server/queries/analysis-context';
import { useLiveAnalysis, type TLiveAnalysisInput } from './use-live-analysis';

// The server action that reads the cluster is this hook's boundary: a recorder answers it (the
// query behind it is tested in the integration tier). analyseChange is the real one.
const actions = vi.hoisted(() => ({ analysisContextAction: vi.fn() }));
vi.mock('@/lib/web/actions/change-request-actions', () => actions);

function ingress(name: string, host: string): TIngress {
  const r = readProposal(
    { form: { name, rules: [{ host, paths: [{ path: '/', pathType: 'Prefix', serviceName: 'web', servicePort: '80' }] }] } },
    { namespace: 'shop' },
  );
  if (!r.ok) throw new Error(r.message);
  return r.ingress;
}

function context(namespace: string, over: Partial<TAnalysisContext> = {}): TAnalysisContext {
  return {
    environment: { id: 'env-1', name: 'staging', isProduction: false, requiredApprovals: 1 },
    namespace,
    policy: ZPolicy.parse({}),
    others: [],
    services: null,
    base: null,
    names: [],
    ingressClasses: [],
    lastApplied: null,
    ...over,
  };
}

const ok = (data: TAnalysisContext) => ({ ok: true, data });
const input = (over: Partial<TLiveAnalysisInput> = {}): TLiveAnalysisInput => ({
  environment: 'staging',
  namespace: 'shop',
  action: 'create',
  name: null,
  proposed: ingress('web', 'web.example.com'),
  ...over,
});

// In braces: a function returned from beforeEach is run as a cleanup hook (mockReset returns the mock).
beforeEach(() => {
  actions.analysisContextAction.mockReset();
});

describe('useLiveAnalysis', () => {
  it('does not ask the cluster for a namespace that cannot exist, and has no analysis', async () => {
    const { result } = renderHook(() => useLiveAnalysis(input({ namespace: 'Shop!' })));
    await new Promise((r) => setTimeout(r, 400));
    expect(actions.analysisContextAction).not.toHaveBeenCalled();
    expect(result.current).toMatchObject({ context: null, analysis: null, isLoadingContext: false });
  });

  it('reads the context once and runs the same analysis the server runs', async () => {
    actions.analysisContextAction.mockResolvedValue(ok(context('shop')));
    const { result } = renderHook(() => useLiveAnalysis(input()));
    expect(result.current.isLoadingContext).toBe(true);
    await waitFor(() => expect(result.current.analysis).not.toBeNull());
    expect(actions.analysisContextAction).toHaveBeenCalledTimes(1);
    expect(actions.analysisContextAction).toHaveBeenCalledWith({ environment: 'staging', namespace: 'shop', name: null });
    expect(result.current.analysis!.diff.routeCounts.added).toBe(1);
    expect(result.current.isLoadingContext).toBe(false);
  });

  it('finds a collision with another Ingress in the cluster, as at submission', async () => {
    const other = { ...ingress('other', 'web.example.com'), metadata: { name: 'other', namespace: 'team-b' } };
    actions.analysisContextAction.mockResolvedValue(ok(context('shop', { others: [other] })));
    const { result } = renderHook(() => useLiveAnalysis(input()));
    await waitFor(() => expect(result.current.analysis).not.toBeNull());
    expect(result.current.analysis!.findings.map((f) => f.ruleId)).toContain('host-path-collision');
  });

  it('asks once after typing pauses, not for every keystroke', async () => {
    actions.analysisContextAction.mockImplementation(async (q: { namespace: string }) => ok(context(q.namespace)));
    const { result, rerender } = renderHook((p: TLiveAnalysisInput) => useLiveAnalysis(p), { initialProps: input({ namespace: 's' }) });
    rerender(input({ namespace: 'sh' }));
    rerender(input({ namespace: 'sho' }));
    rerender(input({ namespace: 'shop' }));
    await waitFor(() => expect(result.current.context?.namespace).toBe('shop'));
    expect(actions.analysisContextAction.mock.calls.map(([q]) => q.namespace)).toEqual(['shop']);
  });

  it('never applies a stale answer: the context is for the namespace chosen last', async () => {
    let answerShop: (v: unknown) => void = () => {};
    actions.analysisContextAction.mockImplementation((q: { namespace: string }) =>
      q.namespace === 'shop' ? new Promise((r) => (answerShop = r)) : Promise.resolve(ok(context(q.namespace))),
    );
    const { result, rerender } = renderHook((p: TLiveAnalysisInput) => useLiveAnalysis(p), { initialProps: input({ namespace: 'shop' }) });
    await waitFor(() => expect(actions.analysisContextAction).toHaveBeenCalledTimes(1));
    rerender(input({ namespace: 'web' }));
    await waitFor(() => expect(result.current.context?.namespace).toBe('web'));
    await act(async () => answerShop(ok(context('shop'))));
    expect(result.current.context?.namespace).toBe('web');
    expect(result.current.analysis).not.toBeNull();
  });

  it('shows why the cluster could not be read', async () => {
    actions.analysisContextAction.mockResolvedValue({
      ok: false,
      code: 'UNAVAILABLE',
      message: 'The cluster did not answer.',
      fieldErrors: [],
    });
    const { result } = renderHook(() => useLiveAnalysis(input()));
    await waitFor(() => expect(result.current.contextError).toBe('The cluster did not answer.'));
    expect(result.current).toMatchObject({ context: null, analysis: null, isLoadingContext: false });
  });

  it('asks for the live object of an update, and waits for it before analysing', async () => {
    actions.analysisContextAction.mockResolvedValue(ok(context('shop')));
    const { result } = renderHook(() => useLiveAnalysis(input({ action: 'update', name: 'web' })));
    await waitFor(() => expect(result.current.context).not.toBeNull());
    expect(actions.analysisContextAction).toHaveBeenCalledWith({ environment: 'staging', namespace: 'shop', name: 'web' });
    // The live object is gone (base null): nothing to compare against, so no analysis.
    expect(result.current.analysis).toBeNull();
  });

  it('has no analysis while the proposal does not read (except for a delete)', async () => {
    actions.analysisContextAction.mockResolvedValue(ok(context('shop')));
    const { result } = renderHook(() => useLiveAnalysis(input({ proposed: null })));
    await waitFor(() => expect(result.current.context).not.toBeNull());
    expect(result.current.analysis).toBeNull();
  });
});
