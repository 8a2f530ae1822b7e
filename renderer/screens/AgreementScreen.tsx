import { useCallback, useEffect, useRef, useState } from 'react';
import type { ShellState } from '../../common/ipc/contract';
import { cordonApi } from '../cordonApi';
import { useMainAction } from '../useMainAction';

type Agreement = Extract<ShellState, { kind: 'agreement' }>;

const WHY: Record<Agreement['why'], string> = {
  'never-accepted': 'Before the practice\u2019s apps open, please read this document to the end and confirm that you agree to it.',
  'new-version': 'There is a new version of this document. Please read it to the end and confirm that you agree before the practice\u2019s apps open.',
  'text-changed': 'This document has changed since you last agreed to it. Please read it to the end and confirm again before the practice\u2019s apps open.',
  'period-ended': 'Your practice asks you to confirm this document once a year, and it is time again. Please read it to the end and confirm before the practice\u2019s apps open.',
  unreadable: 'Cordon could not confirm on this computer that you agreed to this document, so please read it to the end and confirm again.',
};

/** How close to the bottom counts as the end (a fraction of a pixel is lost to zoom and rounding). */
const END_SLACK_PX = 4;

/** Blank lines separate paragraphs; single line breaks stay as they are. */
function paragraphs(text: string): string[] {
  return text.split(/\n\s*\n/).filter((p) => p.trim() !== '');
}

/** The document to scroll through, telling its parent once the reader has reached its end (by mouse, touch or keyboard). */
function DocumentText({ label, text, onEnd }: { label: string; text: string; onEnd: () => void }) {
  const region = useRef<HTMLDivElement>(null);
  const check = useCallback(() => {
    const el = region.current;
    if (el !== null && el.scrollTop + el.clientHeight >= el.scrollHeight - END_SLACK_PX) onEnd();
  }, [onEnd]);
  // A document short enough to show whole has been seen to its end already; so has one the window grew to show.
  useEffect(() => {
    check();
    window.addEventListener('resize', check);
    return () => window.removeEventListener('resize', check);
  }, [check]);
  return (
    // Focusable so the keyboard scrolls it (arrows, Page Down, End); named for screen readers.
    <div ref={region} className="agreement-text" role="region" aria-label={label} tabIndex={0} onScroll={check} data-testid="agreement-text">
      {paragraphs(text).map((p, i) => (
        <p key={i}>{p}</p>
      ))}
    </div>
  );
}

/**
 * An agreement to read and accept before any hosted app opens: the text in a scrolling
 * region, "I agree" naming the document once the reader reached its end, and "Decline
 * and sign out". Main decides what is outstanding and keeps the apps closed meanwhile.
 */
export function AgreementScreen({ state, onShowPosture, onChanged }: { state: Agreement; onShowPosture: () => void; onChanged: () => void }) {
  const { document: doc } = state;
  const [readToEnd, setReadToEnd] = useState(false);
  const [hint, setHint] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  const accept = useMainAction(() => cordonApi().acceptAgreement(doc.id, doc.version), { failed: 'Cordon did not answer. Try again; if this keeps happening, call IT.', onDone: onChanged });
  const retry = useMainAction(() => cordonApi().retryAgreement(), { failed: 'Cordon did not answer. Try again, or sign out.', onDone: onChanged });
  const reachedEnd = useCallback(() => setReadToEnd(true), []);

  // Each document starts unread, and is announced from its title.
  useEffect(() => heading.current?.focus(), []);

  const agree = () => {
    if (readToEnd) accept.start();
    else setHint('Scroll to the end of the document first.');
  };
  const leave = async (decline: boolean) => {
    await (decline ? cordonApi().declineAgreement(doc.id) : cordonApi().signOut());
    onChanged();
  };

  const label = `${doc.title}, version ${doc.version}`;
  const { content } = doc;
  return (
    <main className="screen centered agreement" aria-labelledby="agreement-title">
      <div className="card">
        <p className="eyebrow">{state.practiceName}</p>
        <h1 id="agreement-title" ref={heading} tabIndex={-1}>
          {doc.title}
        </h1>
        <p>
          {WHY[state.why]} <span className="agreement-version">Version {doc.version}.</span>
          {state.remaining > 0 && ` ${state.remaining === 1 ? 'One more document follows.' : `${state.remaining} more documents follow.`}`}
        </p>
        {content.state === 'ready' && (
          <>
            <DocumentText label={label} text={content.text} onEnd={reachedEnd} />
            <p id="agreement-hint" className="status">
              {readToEnd ? 'You have reached the end of the document.' : 'Scroll to the end of the document to agree.'}
            </p>
          </>
        )}
        {content.state === 'loading' && <p role="status">Fetching the document from your practice…</p>}
        {content.state === 'unavailable' && (
          <p className="apps-hidden" role="alert" data-testid="agreement-unavailable">
            {content.problem}
          </p>
        )}
        <div className="actions">
          {content.state === 'ready' && (
            <>
              <button type="button" aria-disabled={!readToEnd || accept.busy} aria-describedby="agreement-hint" onClick={agree}>
                I agree to {doc.title}, version {doc.version}
              </button>
              <button type="button" className="secondary" onClick={() => void leave(true)}>
                Decline and sign out
              </button>
            </>
          )}
          {content.state === 'unavailable' && (
            <button type="button" onClick={retry.start} disabled={retry.busy}>
              Try again
            </button>
          )}
          {content.state !== 'ready' && (
            <button type="button" className="secondary" onClick={() => void leave(false)}>
              Sign out
            </button>
          )}
        </div>
        <p className="status" role="status" aria-live="polite">
          {hint !== '' && !readToEnd ? hint : accept.message || retry.message}
        </p>
        <footer className="agreement-footer">
          <p>
            Signed in as <strong>{state.userName}</strong>
          </p>
          <button type="button" className="secondary" onClick={onShowPosture}>
            Security posture
          </button>
        </footer>
      </div>
    </main>
  );
}
