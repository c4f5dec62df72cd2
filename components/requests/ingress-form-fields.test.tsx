import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { EMPTY_FORM, IngressFormFields, type TFormState } from './ingress-form-fields';

// The errors an empty form has (as readProposal reports them).
const ERRORS = new Map([
  ['form.name', 'Name is required.'],
  ['form.rules.0.paths.0.serviceName', 'Backend service is required.'],
  ['form.rules.0.paths.0.servicePort', 'Backend port is required.'],
]);

function Harness({ revealAll = false, onTouched }: { revealAll?: boolean; onTouched?: () => void }) {
  const [value, setValue] = useState<TFormState>(EMPTY_FORM);
  return (
    <IngressFormFields
      value={value}
      onChange={setValue}
      errors={ERRORS}
      revealAll={revealAll}
      onTouched={onTouched}
      isNameLocked={false}
      classes={[]}
    />
  );
}
const shownErrors = () => screen.queryAllByTestId('field-error').map((e) => e.textContent);

describe('IngressFormFields: errors after touch or submit', () => {
  it('an untouched form shows no error and marks nothing invalid', () => {
    render(<Harness />);
    expect(shownErrors()).toEqual([]);
    expect(document.querySelectorAll('[aria-invalid="true"]')).toHaveLength(0);
  });

  it('a field left shows its own error, tied to it, and reports the first touch', () => {
    let touches = 0;
    render(<Harness onTouched={() => (touches += 1)} />);
    const service = screen.getByLabelText('Rule 1 path 1 service');
    fireEvent.blur(service);
    expect(shownErrors()).toEqual(['Backend service is required.']);
    expect(service.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(service.getAttribute('aria-describedby')!)?.textContent).toBe('Backend service is required.');
    expect(screen.getByLabelText('Ingress name').hasAttribute('aria-invalid')).toBe(false);
    fireEvent.blur(service);
    expect(touches).toBe(1);
  });

  it('after a submit every error shows', () => {
    render(<Harness revealAll />);
    expect(shownErrors().sort()).toEqual(['Backend port is required.', 'Backend service is required.', 'Name is required.']);
  });

  it('removing the last path says a rule needs one', () => {
    const errors = new Map([['form.rules.0.paths', 'Add at least one path.']]);
    function Removing() {
      const [value, setValue] = useState<TFormState>(EMPTY_FORM);
      return (
        <IngressFormFields
          value={value}
          onChange={setValue}
          errors={value.rules[0]!.paths.length ? new Map() : errors}
          isNameLocked={false}
          classes={[]}
        />
      );
    }
    render(<Removing />);
    fireEvent.click(screen.getByRole('button', { name: 'Remove path 1 of rule 1' }));
    expect(shownErrors()).toEqual(['Add at least one path.']);
  });
});
