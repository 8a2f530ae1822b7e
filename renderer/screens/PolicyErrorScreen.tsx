import type { ShellState } from '../../common/ipc/contract';

type Problem = Extract<ShellState, { kind: 'policy-error' }>['problem'];

/** The locked screen for a refused policy: names file, field and reason; hosts nothing. */
export function PolicyErrorScreen({ problem, onShowPosture }: { problem: Problem; onShowPosture: () => void }) {
  return (
    <main className="screen centered locked" aria-labelledby="policy-error-title">
      <div className="card">
        <h1 id="policy-error-title">Cordon is locked</h1>
        <p role="alert">The practice policy could not be used, so no practice apps are available. Call IT and read them the details below.</p>
        <dl className="problem">
          <dt>Problem</dt>
          <dd data-testid="problem-code">{problem.code}</dd>
          <dt>File</dt>
          <dd data-testid="problem-file">{problem.file}</dd>
          {problem.field !== undefined && (
            <>
              <dt>Field</dt>
              <dd data-testid="problem-field">{problem.field}</dd>
            </>
          )}
          <dt>Reason</dt>
          <dd data-testid="problem-reason">{problem.reason}</dd>
        </dl>
        {problem.more !== undefined && problem.more.length > 0 && (
          <>
            <h2>Other problems in the same file</h2>
            <ul>
              {problem.more.map((extra) => (
                <li key={`${extra.field}:${extra.reason}`}>
                  {extra.field}: {extra.reason}
                </li>
              ))}
            </ul>
          </>
        )}
        <button type="button" className="secondary" onClick={onShowPosture}>
          Security posture
        </button>
      </div>
    </main>
  );
}
