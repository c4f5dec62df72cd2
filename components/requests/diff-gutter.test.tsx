import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { TFinding } from '@/lib/domain/risk/types';
import { DiffGutter, parseLineHash, type TGutterProps } from './diff-gutter';
import { isTypingTarget, navigationStops } from './diff-shortcuts';

const finding = (severity: TFinding['severity'], title: string, line: number): TFinding =>
  ({
    ruleId: `r-${title}`,
    severity,
    title,
    message: `${title} message`,
    side: 'proposed',
    lines: [line],
    path: 'x',
    why: '',
    reference: '',
  }) as unknown as TFinding;

function renderGutter(props: Partial<TGutterProps>) {
  const all: TGutterProps = {
    refs: { R: 12 },
    unified: false,
    isChange: true,
    findingsAt: () => undefined,
    threadsAt: () => 0,
    selected: null,
    linkable: true,
    ...props,
  };
  return render(
    <table>
      <tbody>
        <tr>
          <DiffGutter {...all} />
        </tr>
      </tbody>
    </table>,
  );
}

describe('DiffGutter', () => {
  it('shows the most severe finding of the line, names the rest, and reports a click', () => {
    const onFinding = vi.fn();
    const list = [finding('critical', 'Snippet', 12), finding('low', 'Regex', 12)];
    renderGutter({ findingsAt: (k) => (k === 'R-12' ? list : undefined), onFinding });
    const badge = screen.getByTestId('line-finding');
    expect(badge.textContent).toBe('CRIT');
    expect(badge.dataset.severity).toBe('critical');
    expect(badge.getAttribute('aria-label')).toBe('critical finding on right line 12: Snippet and 1 more');
    expect(badge.getAttribute('title')).toContain('LOW: Regex');
    fireEvent.click(badge);
    expect(onFinding).toHaveBeenCalledWith(list[0]);
  });

  it('line numbers are keyboard-reachable links to #L-R12 that select the line without navigating', () => {
    const onSelect = vi.fn();
    renderGutter({ onSelect });
    const link = screen.getByRole('link', { name: 'right line 12' });
    expect(link.getAttribute('href')).toBe('#L-R12');
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    link.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true);
    expect(onSelect).toHaveBeenCalledWith({ side: 'R', line: 12 });
  });

  it('marks the selected line, and plain numbers when the diff is not linkable', () => {
    const { container, unmount } = renderGutter({ selected: { side: 'R', line: 12 } });
    expect(container.querySelector('td')!.dataset.selected).toBe('true');
    expect(screen.getByRole('link').getAttribute('aria-current')).toBe('location');
    unmount();
    renderGutter({ linkable: false });
    expect(screen.queryByRole('link')).toBeNull();
    expect(screen.getByText('12')).toBeTruthy();
  });

  it('unified rows show both numbers and anchor both keys', () => {
    const { container } = renderGutter({ unified: true, refs: { L: 7, R: 9 } });
    expect(screen.getByRole('link', { name: 'left line 7' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'right line 9' })).toBeTruthy();
    expect(container.querySelector('td')!.dataset.lineAnchor).toBe('L-7 R-9');
  });

  it('the comment marker is an SVG icon and a count (no font glyph), naming the line', () => {
    const onThreads = vi.fn();
    renderGutter({ threadsAt: (k) => (k === 'R-12' ? 2 : 0), onThreads });
    const marker = screen.getByTestId('line-comment-marker');
    expect(marker.textContent).toBe('2');
    expect(marker.querySelector('svg')).not.toBeNull();
    expect(marker.getAttribute('aria-label')).toBe('2 comment threads on right line 12');
    fireEvent.click(marker);
    expect(onThreads).toHaveBeenCalledWith({ side: 'R', line: 12 });
  });
});

describe('navigation helpers', () => {
  it('parseLineHash accepts #L-R12 / #L-L3 only', () => {
    expect(parseLineHash('#L-R12')).toEqual({ side: 'R', line: 12 });
    expect(parseLineHash('#L-L3')).toEqual({ side: 'L', line: 3 });
    expect(parseLineHash('#L-X3')).toBeNull();
    expect(parseLineHash('#diff')).toBeNull();
  });

  it('j/k stop at each finding and at the first row of each run of changes', () => {
    const row = (key: string, change: boolean, withFinding = false) =>
      `<tr><td data-testid="diff-gutter" data-line-anchor="${key}" ${change ? 'data-change="true"' : ''}>${
        withFinding ? `<button data-testid="line-finding" data-line="${key}"></button>` : ''
      }</td></tr>`;
    const root = document.createElement('div');
    root.innerHTML = `<table><tbody>${[
      row('R-1', false),
      row('R-2', true),
      row('R-3', true),
      row('R-4', false, true),
      row('R-5', false),
      row('R-6', true),
    ].join('')}</tbody></table>`;
    expect(navigationStops(root).map((s) => `${s.ref.side}-${s.ref.line}`)).toEqual(['R-2', 'R-4', 'R-6']);
  });

  it('shortcuts stay quiet in text fields but not on buttons or checkboxes', () => {
    const make = (html: string) => {
      const d = document.createElement('div');
      d.innerHTML = html;
      return d.firstElementChild;
    };
    expect(isTypingTarget(make('<textarea></textarea>'))).toBe(true);
    expect(isTypingTarget(make('<input type="text">'))).toBe(true);
    expect(isTypingTarget(make('<select></select>'))).toBe(true);
    expect(isTypingTarget(make('<input type="checkbox">'))).toBe(false);
    expect(isTypingTarget(make('<button></button>'))).toBe(false);
  });
});
