import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Field, fieldControl, input } from './field';

describe('Field', () => {
  it('labels its control: the label names the input', () => {
    render(
      <Field id="title" label="Title">
        {(c) => <input {...c} className={input} />}
      </Field>,
    );
    const box = screen.getByLabelText('Title');
    expect(box.tagName).toBe('INPUT');
    expect(box.id).toBe('title');
  });

  it('without hint or error: no aria-describedby, no aria-invalid', () => {
    render(
      <Field id="title" label="Title">
        {(c) => <input {...c} />}
      </Field>,
    );
    const box = screen.getByLabelText('Title');
    expect(box.hasAttribute('aria-describedby')).toBe(false);
    expect(box.hasAttribute('aria-invalid')).toBe(false);
  });

  it('describes the control by its hint', () => {
    render(
      <Field id="port" label="Port" hint="A number or a port name.">
        {(c) => <input {...c} />}
      </Field>,
    );
    const box = screen.getByLabelText('Port');
    expect(box.getAttribute('aria-describedby')).toBe('port-hint');
    expect(document.getElementById('port-hint')?.textContent).toBe('A number or a port name.');
    expect(box.hasAttribute('aria-invalid')).toBe(false);
  });

  it('with an error: aria-invalid, and described by hint then error, the error in the DOM with its test id', () => {
    render(
      <Field id="port" label="Port" hint="A number or a port name." error="Backend port is required." errorTestId="field-error">
        {(c) => <input {...c} />}
      </Field>,
    );
    const box = screen.getByLabelText('Port');
    expect(box.getAttribute('aria-invalid')).toBe('true');
    expect(box.getAttribute('aria-describedby')).toBe('port-hint port-error');
    expect(screen.getByTestId('field-error').textContent).toBe('Backend port is required.');
    expect(screen.getByTestId('field-error').id).toBe('port-error');
  });

  it('works for select and textarea controls', () => {
    render(
      <>
        <Field id="role" label="Role" error="Choose a role.">
          {(c) => (
            <select {...c}>
              <option>approver</option>
            </select>
          )}
        </Field>
        <Field id="why" label="Justification">
          {(c) => <textarea {...c} />}
        </Field>
      </>,
    );
    expect(screen.getByLabelText('Role').tagName).toBe('SELECT');
    expect(screen.getByLabelText('Role').getAttribute('aria-describedby')).toBe('role-error');
    expect(screen.getByLabelText('Justification').tagName).toBe('TEXTAREA');
  });

  it('an empty error string is no error', () => {
    expect(fieldControl('x', { error: '' })).toEqual({ id: 'x', 'aria-invalid': undefined, 'aria-describedby': undefined });
  });
});
