// Whose session is the code on this photo? The person types what they read (any case, with
// or without the hyphen, O for 0 and so on); the collector reads it the same tolerant way
// (common/console/sessionCode.ts) and says what it understood.
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { SessionRow } from '../../common/console/consoleApi';
import { call } from '../api/consoleClient';
import { formatDayTime, toLocalInput } from '../format';
import { Link, navigate } from '../router';
import { errorMessage, ViewHeading } from '../ui';
import { timelinePath } from './Sessions';

/**
 * The instant a watermark's time of day ("14:05") names within a session: on the day the
 * session started (the viewer's day), or the next one when that would be before the start.
 */
function instantInSession(session: SessionRow, time: string): string | undefined {
  if (!/^\d{2}:\d{2}$/.test(time)) return undefined;
  const startDay = toLocalInput(session.startedAt).slice(0, 10);
  const candidate = new Date(`${startDay}T${time}`);
  if (candidate.getTime() < Date.parse(session.startedAt) - 60_000) candidate.setDate(candidate.getDate() + 1);
  return candidate.toISOString();
}

export function LookupView() {
  const [code, setCode] = useState('');
  const [time, setTime] = useState('');
  const lookup = useMutation({
    mutationFn: (typed: string) => call('lookup', { query: { code: typed } }),
    onSuccess: (answer) => {
      const [only] = answer.matches;
      if (answer.matches.length === 1 && only !== undefined) navigate(timelinePath(only, instantInSession(only, time)));
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (code.trim() !== '') lookup.mutate(code.trim());
  };
  const answer = lookup.data;

  return (
    <>
      <ViewHeading title="Watermark lookup">Watermark lookup</ViewHeading>
      <p className="lede">
        Every Cordon screen carries a watermark with the session code (like <span className="code">7K2M-QX4P</span>) and the time. Type what you read off the photo
        to open that session at that minute.
      </p>
      <form className="panel lookup" onSubmit={submit}>
        <div className="field">
          <label htmlFor="lookup-code">Session code from the watermark</label>
          <input
            id="lookup-code"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            required
            maxLength={40}
            aria-describedby="lookup-code-hint"
          />
          <p id="lookup-code-hint" className="hint">
            Case, spaces and the hyphen do not matter; O is read as 0 and I or L as 1.
          </p>
        </div>
        <div className="field">
          <label htmlFor="lookup-time">Time on the photo (optional)</label>
          <input id="lookup-time" type="time" value={time} onChange={(e) => setTime(e.target.value)} aria-describedby="lookup-time-hint" />
          <p id="lookup-time-hint" className="hint">
            In your own timezone. With a time, the timeline opens at that minute.
          </p>
        </div>
        <button type="submit" disabled={lookup.isPending}>
          Find the session
        </button>
      </form>
      {lookup.isError && (
        <p className="notice notice-problem" role="alert">
          {errorMessage(lookup.error)}
        </p>
      )}
      {answer !== undefined && answer.matches.length !== 1 && (
        <section className="panel" aria-labelledby="lookup-result">
          <h2 id="lookup-result">{answer.matches.length === 0 ? 'No session found' : `${answer.matches.length} sessions carry this code`}</h2>
          {answer.normalized !== null && (
            <p>
              Read as <span className="code">{answer.normalized}</span>.
            </p>
          )}
          {answer.problem !== null && (
            <p className="notice notice-problem" role="alert">
              {answer.problem}
            </p>
          )}
          {answer.matches.length === 0 && answer.problem === null && <p role="status">No session with this code has reached the collector. Check the code, or the device may not have synced yet.</p>}
          {answer.matches.length > 1 && (
            <ul className="plain-list" role="status">
              {answer.matches.map((match) => (
                <li key={`${match.deviceId}/${match.code}`}>
                  <Link to={timelinePath(match, instantInSession(match, time))}>
                    {match.subject ?? 'Unknown user'} on {match.deviceName}, started {formatDayTime(match.startedAt)}
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </>
  );
}
