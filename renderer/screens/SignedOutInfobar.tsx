import { useId } from 'react';
import { SHELL_INFOBAR_HEIGHT } from '../../common/ui/shellLayout';
import { cordonApi } from '../cordonApi';
import { useMainAction } from '../useMainAction';

/**
 * The strip under the top bar when the app on screen signed the VA out (it showed one of
 * its signed-out pages), instead of leaving a dead tab: what happened, calmly, and a
 * button that opens the app's start page again (single sign-on, or its own sign-in).
 * Main says when the app shows its own pages again, and the strip goes.
 */
export function SignedOutInfobar({ app }: { app: { id: string; name: string } }) {
  const reopen = useMainAction(() => cordonApi().reopenApp(app.id), { pending: `Opening ${app.name} again…`, failed: 'Cordon did not answer. Try again.', onDone: () => undefined });
  const titleId = useId();
  return (
    <section className="infobar" aria-labelledby={titleId} style={{ height: SHELL_INFOBAR_HEIGHT }} data-testid="signed-out-infobar">
      {/* A status, so a screen reader says it when it appears. */}
      <p id={titleId} className="infobar-title" role="status">
        {app.name} signed you out. Sign in to it again to go on.
      </p>
      <button type="button" onClick={reopen.start} disabled={reopen.busy}>
        Sign in to {app.name} again
      </button>
      <p className="status" aria-live="polite">
        {reopen.message}
      </p>
    </section>
  );
}
