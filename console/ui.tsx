// Small pieces every view shares: the page heading (which takes focus after a move, so a
// screen reader announces the new page), problems in the server's words, and chain marks.
import { useEffect, useRef, type ReactNode } from 'react';
import type { ChainStatus } from '../common/console/consoleApi';
import { ConsoleApiError } from './api/consoleClient';
import { hasNavigated } from './router';

export function ViewHeading({ children, title }: { children: ReactNode; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Cordon console`;
    if (hasNavigated()) ref.current?.focus();
  }, [title]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

export function errorMessage(error: unknown): string {
  if (error instanceof ConsoleApiError) return error.message;
  return 'Something went wrong in this page. Reload it; if it happens again, tell IT what you were doing.';
}

export function Problem({ error }: { error: unknown }) {
  return (
    <p className="notice notice-problem" role="alert">
      {errorMessage(error)}
    </p>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      Loading {what}…
    </p>
  );
}

export const CHAIN_LABELS: Record<ChainStatus, { label: string; mark: string; meaning: string }> = {
  verified: { label: 'Verified', mark: '✓', meaning: 'every event arrived in order and its signatures check' },
  'delivered-late': { label: 'Delivered late', mark: '◷', meaning: 'the device was offline and sent these later; the chain is intact' },
  gap: { label: 'Gap', mark: '⋯', meaning: 'some events never arrived; nothing here shows they were altered' },
  tampered: { label: 'Tampered', mark: '✕', meaning: 'the history does not match its chain: something was changed or removed' },
};

export function ChainBadge({ status }: { status: ChainStatus }) {
  const { label, mark } = CHAIN_LABELS[status];
  return (
    <span className={`chain-badge chain-${status}`}>
      <span aria-hidden="true">{mark}</span> {label}
    </span>
  );
}

export function Pager({ atFirst, nextCursor, onFirst, onNext }: { atFirst: boolean; nextCursor: string | null; onFirst: () => void; onNext: (cursor: string) => void }) {
  if (atFirst && nextCursor === null) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" className="secondary" onClick={onFirst} disabled={atFirst}>
        First page
      </button>
      <button type="button" onClick={() => nextCursor !== null && onNext(nextCursor)} disabled={nextCursor === null}>
        Next page
      </button>
    </nav>
  );
}

/** A table that may be wider than the screen: its scrolling region takes focus, so a keyboard can scroll it. */
export function TableRegion({ labelledBy, children }: { labelledBy: string; children: ReactNode }) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-labelledby={labelledBy}>
      {children}
    </div>
  );
}

/** A section whose table (or the words for none) has the section's title: the table's region carries it. */
export function TitledTable({ id, title, empty, children }: { id: string; title: string; empty: string | null; children: ReactNode }) {
  return (
    <section>
      <h2>{title}</h2>
      {empty !== null ? (
        <p className="empty panel">{empty}</p>
      ) : (
        <TableRegion labelledBy={`${id}-caption`}>
          <table className="data">
            <caption id={`${id}-caption`} className="visually-hidden">
              {title}
            </caption>
            {children}
          </table>
        </TableRegion>
      )}
    </section>
  );
}
