'use client';

import { useEffect, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

/**
 * Rows under diff lines (comment threads, the comment composer), placed inside the diff viewer's
 * own table. react-diff-viewer-continued has no API for rows between lines, so each below-row is
 * a `<tr>` we own, moved right after the row that shows its line whenever the viewer's rows change
 * (render, fold/unfold, virtual scrolling, split ↔ unified); React renders into it through a
 * portal, so a half-typed comment survives those moves. React never reorders nodes it did not
 * create, so the viewer's rendering is unaffected.
 */
export function useBelowRows(container: HTMLElement | null, keys: string[]) {
  const rows = useRef(new Map<string, { tr: HTMLTableRowElement; td: HTMLTableCellElement }>());
  const [, setVersion] = useState(0);
  const keyList = keys.join('|');

  useEffect(() => {
    const wanted = new Set(keyList ? keyList.split('|') : []);
    let created = false;
    for (const key of wanted)
      if (!rows.current.has(key)) {
        const tr = document.createElement('tr');
        tr.dataset.belowLine = key;
        tr.dataset.testid = 'below-line';
        const td = document.createElement('td');
        tr.appendChild(td);
        rows.current.set(key, { tr, td });
        created = true;
      }
    for (const [key, row] of rows.current)
      if (!wanted.has(key)) {
        row.tr.remove();
        rows.current.delete(key);
      }
    if (created) setVersion((v) => v + 1);
    if (!container) return;
    const place = () => {
      for (const [key, { tr }] of rows.current) {
        const cell = container.querySelector(`[data-line-anchor~="${key}"]`);
        const anchorRow = cell?.closest('tr');
        if (!anchorRow) {
          if (tr.isConnected) tr.remove();
          continue;
        }
        // Exactly the table's columns: a wider span would add columns and squeeze the code column.
        const columns = anchorRow.closest('table')?.querySelectorAll(':scope > colgroup > col').length || 1;
        const td = tr.firstElementChild as HTMLTableCellElement;
        if (td.colSpan !== columns) td.colSpan = columns;
        // After the anchor row and after below-rows of lines that sort before this one in it.
        let after: Element = anchorRow;
        while (after.nextElementSibling instanceof HTMLTableRowElement && after.nextElementSibling.dataset.belowLine) {
          const next = after.nextElementSibling;
          if (next === tr || next.dataset.belowLine! > key) break;
          after = next;
        }
        if (after.nextElementSibling !== tr && after !== tr) after.after(tr);
      }
    };
    place();
    const observer = new MutationObserver((records) => {
      // Our own moves also produce records; placing is idempotent, so they settle at once.
      if (records.some((r) => r.type === 'childList')) place();
    });
    observer.observe(container, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [container, keyList]);

  return (render: (key: string) => ReactNode) => [...rows.current.entries()].map(([key, { td }]) => createPortal(render(key), td, key));
}
