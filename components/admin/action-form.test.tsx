import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ActionForm } from './action-form';

// The server action is this component's boundary: a recorder answers it with the values the real
// actions return ({ ok, data } or { ok: false, message, fieldErrors }).
const refused = {
  ok: false as const,
  code: 'UNPROCESSABLE' as const,
  message: 'Check the fields.',
  fieldErrors: [{ path: 'email', message: 'Enter an email.' }],
};
const saved = { ok: true as const, data: { message: 'Saved (description).' } };

type TAction = Parameters<typeof ActionForm>[0]['action'];

function renderForm(action: TAction, keepValues = false) {
  render(
    <ActionForm action={action} submitLabel="Create" testId="f" keepValues={keepValues}>
      <label htmlFor="email">Email</label>
      <input id="email" name="email" defaultValue="" />
      <label htmlFor="role">Role</label>
      <select id="role" name="role" defaultValue="REQUESTER">
        <option value="REQUESTER">requester</option>
        <option value="APPROVER">approver</option>
      </select>
    </ActionForm>,
  );
  fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'not-an-email' } });
  fireEvent.change(screen.getByLabelText('Role'), { target: { value: 'APPROVER' } });
  fireEvent.submit(screen.getByTestId('f'));
}

describe('ActionForm', () => {
  it('sends the form’s fields to the action', async () => {
    const action = vi.fn<TAction>().mockResolvedValue(refused);
    renderForm(action);
    await waitFor(() => expect(action).toHaveBeenCalledTimes(1));
    const data = action.mock.calls[0]![1] as FormData;
    expect(Object.fromEntries(data)).toEqual({ email: 'not-an-email', role: 'APPROVER' });
  });

  it('keeps every input after a refusal, and shows the message and each field problem', async () => {
    renderForm(vi.fn<TAction>().mockResolvedValue(refused));
    const error = await screen.findByTestId('form-error');
    expect(error.textContent).toContain('Check the fields.');
    expect(error.textContent).toContain('email: Enter an email.');
    expect((screen.getByLabelText('Email') as HTMLInputElement).value).toBe('not-an-email');
    expect((screen.getByLabelText('Role') as HTMLSelectElement).value).toBe('APPROVER');
  });

  it('clears the form after a success (ready for the next entry) and says what happened', async () => {
    renderForm(vi.fn<TAction>().mockResolvedValue(saved));
    expect((await screen.findByTestId('form-success')).textContent).toBe('Saved (description).');
    await waitFor(() => expect((screen.getByLabelText('Email') as HTMLInputElement).value).toBe(''));
    expect((screen.getByLabelText('Role') as HTMLSelectElement).value).toBe('REQUESTER');
  });

  it('with keepValues, keeps what is shown after a success too (settings forms)', async () => {
    renderForm(vi.fn<TAction>().mockResolvedValue(saved), true);
    await screen.findByTestId('form-success');
    expect((screen.getByLabelText('Email') as HTMLInputElement).value).toBe('not-an-email');
    expect((screen.getByLabelText('Role') as HTMLSelectElement).value).toBe('APPROVER');
  });
});
