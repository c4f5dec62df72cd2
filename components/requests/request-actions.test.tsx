import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { RequestActions, type TViewer } from './request-actions';

// The server actions are the boundary of this component: they are replaced by recorders (the
// operations behind them are tested in the integration and e2e tiers). next/navigation needs the
// App Router's context, which only a running Next.js provides.
const actions = vi.hoisted(() => ({
  reviewChangeRequestAction: vi.fn(),
  cancelChangeRequestAction: vi.fn(),
  rebaseChangeRequestAction: vi.fn(),
  rollbackChangeRequestAction: vi.fn(),
}));
const router = vi.hoisted(() => ({ refresh: vi.fn(), push: vi.fn() }));
vi.mock('@/lib/web/actions/change-request-actions', () => actions);
vi.mock('next/navigation', () => ({ useRouter: () => router }));

const NOBODY: TViewer = {
  canReview: false,
  reviewRefusal: null,
  canRevise: false,
  canRebase: false,
  canCancel: false,
  canRollback: false,
  canComment: false,
};

function renderPanel(viewer: Partial<TViewer>, props: Partial<Parameters<typeof RequestActions>[0]> = {}) {
  return render(
    <RequestActions
      id="cr-1"
      status="PENDING"
      currentRevision={2}
      viewer={{ ...NOBODY, ...viewer }}
      isProduction={false}
      environmentName="staging"
      rollbackPreview={null}
      {...props}
    />,
  );
}

beforeEach(() => {
  for (const fn of [...Object.values(actions), ...Object.values(router)]) fn.mockReset();
});

describe('RequestActions: disabled reasons', () => {
  it('shows the server’s refusal as text and disables Approve and Reject with it as their title', () => {
    renderPanel({ canReview: false, reviewRefusal: 'You requested this change; someone else must review it.' });
    expect(screen.getByTestId('review-refusal').textContent).toBe('You requested this change; someone else must review it.');
    for (const name of [/^Approve revision 2/, /^Reject$/]) {
      const button = screen.getByRole('button', { name });
      expect(button).toHaveProperty('disabled', true);
      expect(button.getAttribute('title')).toBe('You requested this change; someone else must review it.');
    }
    expect(screen.queryByLabelText(/Review comment/)).toBeNull();
  });

  it('says why when the server gave no reason', () => {
    renderPanel({ canReview: false, reviewRefusal: null });
    expect(screen.getByTestId('review-refusal').textContent).toBe('You cannot review this request.');
    expect(screen.getByRole('button', { name: /^Approve revision 2/ })).toHaveProperty('disabled', true);
  });

  it('enables review for a reviewer, names the environment in production, and sends the revision reviewed', async () => {
    actions.reviewChangeRequestAction.mockResolvedValue({ ok: true, data: {} });
    renderPanel({ canReview: true }, { isProduction: true, environmentName: 'prod' });
    expect(screen.queryByTestId('review-refusal')).toBeNull();
    fireEvent.change(screen.getByLabelText(/Review comment/), { target: { value: 'looks right' } });
    const approve = screen.getByRole('button', { name: 'Approve revision 2 in prod' });
    expect(approve).toHaveProperty('disabled', false);
    fireEvent.click(approve);
    await waitFor(() => expect(router.refresh).toHaveBeenCalledTimes(1));
    expect(actions.reviewChangeRequestAction).toHaveBeenCalledWith('cr-1', { decision: 'APPROVE', revision: 2, comment: 'looks right' });
  });

  it('shows a refused review’s message and field errors, and keeps the comment typed', async () => {
    actions.reviewChangeRequestAction.mockResolvedValue({
      ok: false,
      message: 'The request has a newer revision.',
      fieldErrors: [{ path: 'revision', message: 'Revision 3 is current.' }],
    });
    renderPanel({ canReview: true });
    fireEvent.change(screen.getByLabelText(/Review comment/), { target: { value: 'why this host?' } });
    fireEvent.click(screen.getByRole('button', { name: 'Reject' }));
    const note = await screen.findByTestId('action-error');
    expect(note.textContent).toContain('The request has a newer revision.');
    expect(note.textContent).toContain('Revision 3 is current.');
    expect((screen.getByLabelText(/Review comment/) as HTMLTextAreaElement).value).toBe('why this host?');
    expect(router.refresh).not.toHaveBeenCalled();
  });

  it('shows no review controls once the request is not pending', () => {
    renderPanel({ canReview: true }, { status: 'APPLIED' });
    expect(screen.queryByRole('button', { name: /^Approve/ })).toBeNull();
    expect(screen.queryByTestId('review-refusal')).toBeNull();
  });

  it('offers only what the viewer may do', () => {
    renderPanel({ canRevise: true, canCancel: false, canRebase: false, canRollback: false }, { status: 'REJECTED' });
    expect(screen.getByRole('link', { name: 'Revise' }).getAttribute('href')).toBe('/requests/cr-1/revise');
    expect(screen.queryByRole('button', { name: /Cancel request/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Rebase/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Roll back/ })).toBeNull();
  });

  it('asks for a reason before cancelling and sends it', async () => {
    actions.cancelChangeRequestAction.mockResolvedValue({ ok: true, data: {} });
    renderPanel({ canCancel: true });
    const open = screen.getByRole('button', { name: 'Cancel request…' });
    expect(open.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(open);
    expect(open.getAttribute('aria-expanded')).toBe('true');
    fireEvent.change(screen.getByLabelText('Reason for cancelling'), { target: { value: 'not needed' } });
    fireEvent.click(screen.getByRole('button', { name: 'Confirm cancel' }));
    await waitFor(() => expect(actions.cancelChangeRequestAction).toHaveBeenCalledWith('cr-1', 'not needed'));
    await waitFor(() => expect(screen.queryByRole('group', { name: 'Confirm cancellation' })).toBeNull());
  });
});
