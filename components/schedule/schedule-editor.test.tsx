import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { NO_PROMOTION_RULES } from '@/lib/domain/promotion/promotion-rules';
import { ScheduleEditor } from './schedule-editor';

// The save action and the router are this editor's boundary; the preview is the real domain code.
const actions = vi.hoisted(() => ({ updateEnvironmentScheduleAction: vi.fn() }));
vi.mock('@/lib/web/actions/schedule-actions', () => actions);
vi.mock('next/navigation', () => ({ useRouter: () => ({ refresh: vi.fn() }) }));

const INITIAL = {
  promotionOrder: 2,
  changeWindows: { timeZone: 'Europe/Berlin', windows: [], recurringFreezes: [], freezes: [] },
  promotionRules: NO_PROMOTION_RULES,
  path: [
    { name: 'staging', order: 1 },
    { name: 'prod', order: 2 },
  ],
};

beforeEach(() => {
  actions.updateEnvironmentScheduleAction.mockReset();
});

describe('ScheduleEditor', () => {
  it('labels every control, and the position says the path now', () => {
    render(<ScheduleEditor environmentId="env-1" initial={INITIAL} />);
    const order = screen.getByLabelText('Position on the promotion path (blank: not on it)') as HTMLInputElement;
    expect(order.value).toBe('2');
    expect(document.getElementById(order.getAttribute('aria-describedby')!)?.textContent).toBe('Path now: 1. staging → 2. prod');
    for (const name of ['Time zone (IANA)', 'Host suffixes', 'TLS secret names', 'Ingress classes', 'Namespaces', 'Otherwise'])
      expect(screen.getByLabelText(name)).toBeTruthy();
    expect((screen.getByLabelText('Time zone (IANA)') as HTMLInputElement).value).toBe('Europe/Berlin');
  });

  it('keeps what was typed when the save is refused, and lists the problems', async () => {
    actions.updateEnvironmentScheduleAction.mockResolvedValue({
      ok: false,
      code: 'UNPROCESSABLE',
      message: 'The schedule has errors.',
      fieldErrors: [{ path: 'promotionRules.priorStage.environment', message: 'No environment "qa".' }],
    });
    render(<ScheduleEditor environmentId="env-1" initial={INITIAL} />);
    fireEvent.change(screen.getByLabelText('Earlier environment (blank: none)'), { target: { value: 'qa' } });
    fireEvent.change(screen.getByLabelText('Host suffixes'), { target: { value: 'staging.example.com -> example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save windows and promotion' }));
    expect((await screen.findByTestId('schedule-error')).textContent).toContain('No environment "qa".');
    expect(actions.updateEnvironmentScheduleAction.mock.calls[0]![1].promotionRules).toMatchObject({
      hostSuffixes: [{ from: 'staging.example.com', to: 'example.com' }],
      priorStage: { environment: 'qa', minutes: 60, onMissing: 'refuse' },
    });
    await waitFor(() => expect((screen.getByLabelText('Earlier environment (blank: none)') as HTMLInputElement).value).toBe('qa'));
    expect((screen.getByLabelText('Host suffixes') as HTMLTextAreaElement).value).toBe('staging.example.com -> example.com');
  });
});
