// Access, for IT: end a device's or a VA's access at once, set the moment a VA's access ends,
// and reinstate. Revoking asks once more and says what the device will do: at its next
// contact it delivers what it has queued, signs the VA out, wipes its sessions and tells the
// VA why. Every change is in the access log; nothing here is ever deleted, so lifted
// revocations stay listed as history.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import type { AccessChange, AccessRevocationRow, AccessTargetKind } from '../../common/console/consoleApi';
import { call } from '../api/consoleClient';
import { formatDayTime, fromLocalInput } from '../format';
import { errorMessage, Loading, Problem, TitledTable, ViewHeading } from '../ui';

/** What a device does when it learns, in the words IT reads before confirming. */
const WHAT_HAPPENS =
  'At its next contact with the collector (within a few minutes while it is on), the device first delivers the audit events it has queued, then signs the VA out, wipes the practice apps’ sessions and the workspace clipboard, closes every app window and shows the VA why.';

const when = (iso: string) => <time dateTime={iso}>{formatDayTime(iso)}</time>;

function Who({ row }: { row: AccessRevocationRow }) {
  return row.kind === 'device' ? (
    <>
      Device {row.deviceName ?? ''}
      <span className="code">{row.target}</span>
    </>
  ) : (
    <>
      VA <span className="code">{row.target}</span>
    </>
  );
}

const whoWords = (kind: AccessTargetKind, target: string, deviceName: string | null) => (kind === 'device' ? `device ${deviceName ?? target}` : `VA ${target}`);

/** The page's one place for what just happened: the change, and anything IT should check. */
function doneMessage(what: string, change: AccessChange): string {
  return change.note === null ? what : `${what} ${change.note}`;
}

export function AccessView({ search }: { search: URLSearchParams }) {
  const panel = useQuery({ queryKey: ['access'], queryFn: () => call('access') });
  const [done, setDone] = useState<string | null>(null);
  return (
    <>
      <ViewHeading title="Access">Access</ViewHeading>
      <p className="lede">
        End a device’s or a VA’s access at once, or set when a VA’s access ends. {WHAT_HAPPENS} A revoked device cannot sign in or enroll again until you reinstate it here.
      </p>
      <p className="form-status" role="status">
        {done}
      </p>
      <RevokeDevice preselected={search.get('device')} onDone={setDone} />
      <RevokeVa onDone={setDone} />
      <SetAccessEnd onDone={setDone} />
      {panel.isPending && <Loading what="revocations" />}
      {panel.isError && <Problem error={panel.error} />}
      {panel.data !== undefined && (
        <>
          <Revoked rows={panel.data.revoked} onDone={setDone} />
          <Scheduled rows={panel.data.scheduled} onDone={setDone} />
          <History rows={panel.data.history} />
        </>
      )}
    </>
  );
}

/** A change to access, then the lists (and the devices list's revoked marks) read again. */
function useAccessChange<T>(change: (input: T) => Promise<AccessChange>, describe: (input: T) => string, onDone: (message: string) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: async (result, input) => {
      onDone(doneMessage(describe(input), result));
      await Promise.all([queryClient.invalidateQueries({ queryKey: ['access'] }), queryClient.invalidateQueries({ queryKey: ['devices'] })]);
    },
  });
}

/** Asks once more before an action that ends someone's work; `children` says what follows. */
function Confirm({ label, children, confirm, keep, busy, onConfirm, onKeep, error }: { label: string; children: ReactNode; confirm: string; keep: string; busy: boolean; onConfirm: () => void; onKeep: () => void; error: unknown }) {
  return (
    <div className="confirm notice" role="group" aria-label={label}>
      {children}
      <button type="button" onClick={onConfirm} disabled={busy}>
        {confirm}
      </button>{' '}
      <button type="button" className="secondary" onClick={onKeep} disabled={busy}>
        {keep}
      </button>
      {error !== null && (
        <p className="notice notice-problem" role="alert">
          {errorMessage(error)}
        </p>
      )}
    </div>
  );
}

/** A form that names whom to revoke, then asks once more, saying what follows. */
function RevokeSection(props: {
  title: string;
  button: string;
  keep: string;
  field: (id: string) => ReactNode;
  /** The confirmation's name and question for whom the form names now; null while it names nobody. */
  confirmation: { label: string; question: ReactNode } | null;
  revoke: () => Promise<AccessChange>;
  /** The page's words once it is done. */
  revoked: string;
  onDone: (message: string) => void;
}) {
  const id = useId();
  const [asking, setAsking] = useState(false);
  const change = useAccessChange(props.revoke, () => props.revoked, (message) => {
    setAsking(false);
    props.onDone(message);
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.reset();
    setAsking(true);
  };
  const { confirmation } = props;
  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{props.title}</h2>
      <form className="hold-form" onSubmit={submit}>
        {props.field(id)}
        {!asking && <button type="submit">{props.button}</button>}
      </form>
      {asking && confirmation !== null && (
        <Confirm label={confirmation.label} confirm="Revoke now" keep={props.keep} busy={change.isPending} onConfirm={() => change.mutate(undefined)} onKeep={() => setAsking(false)} error={change.error}>
          <p>{confirmation.question}</p>
        </Confirm>
      )}
    </section>
  );
}

function RevokeDevice({ preselected, onDone }: { preselected: string | null; onDone: (message: string) => void }) {
  const devices = useQuery({ queryKey: ['devices'], queryFn: () => call('devices') });
  const [deviceId, setDeviceId] = useState(preselected ?? '');
  const chosen = devices.data?.items.find((d) => d.deviceId === deviceId);
  return (
    <RevokeSection
      title="Revoke a device"
      button="Revoke device…"
      keep="Keep its access"
      field={(id) => (
        <div className="field">
          <label htmlFor={`${id}-device`}>Device</label>
          <select id={`${id}-device`} value={deviceId} onChange={(e) => setDeviceId(e.target.value)} required>
            <option value="">Choose a device…</option>
            {devices.data?.items.map((d) => (
              <option key={d.deviceId} value={d.deviceId} disabled={d.revokedSince !== null}>
                {d.deviceName} ({d.deviceId}){d.revokedSince === null ? '' : ', revoked'}
              </option>
            ))}
          </select>
          {devices.isError && <Problem error={devices.error} />}
        </div>
      )}
      confirmation={
        chosen === undefined
          ? null
          : {
              label: `Revoke device ${chosen.deviceName}`,
              question: (
                <>
                  Revoke <strong>{chosen.deviceName}</strong> now? {WHAT_HAPPENS} It cannot sign in or enroll again until you reinstate it.
                </>
              ),
            }
      }
      revoke={() => call('revokeDevice', { params: { deviceId }, body: {} })}
      revoked={`Device ${chosen?.deviceName ?? deviceId} revoked.`}
      onDone={onDone}
    />
  );
}

function RevokeVa({ onDone }: { onDone: (message: string) => void }) {
  const [subject, setSubject] = useState('');
  return (
    <RevokeSection
      title="Revoke a VA"
      button="Revoke VA…"
      keep="Keep their access"
      field={(id) => (
        <div className="field">
          <label htmlFor={`${id}-subject`}>VA (IdP subject)</label>
          <input id={`${id}-subject`} value={subject} onChange={(e) => setSubject(e.target.value)} required maxLength={255} autoComplete="off" aria-describedby={`${id}-hint`} />
          <p className="hint" id={`${id}-hint`}>
            The VA as the practice’s sign-in service names them, as in the sessions list.
          </p>
        </div>
      )}
      confirmation={{
        label: `Revoke VA ${subject}`,
        question: (
          <>
            Revoke <strong>{subject}</strong> now, on every device they use? {WHAT_HAPPENS} They cannot sign in to Cordon again until you reinstate them.
          </>
        ),
      }}
      revoke={() => call('revokeUser', { body: { subject } })}
      revoked={`VA ${subject} revoked.`}
      onDone={(message) => {
        setSubject('');
        onDone(message);
      }}
    />
  );
}

function SetAccessEnd({ onDone }: { onDone: (message: string) => void }) {
  const id = useId();
  const [subject, setSubject] = useState('');
  const [endsAt, setEndsAt] = useState('');
  const set = useAccessChange(
    (input: { subject: string; endsAt: string }) => call('setUserAccessEnd', { body: input }),
    (input) => `VA ${input.subject}’s access ends ${formatDayTime(input.endsAt)}.`,
    (message) => {
      setSubject('');
      setEndsAt('');
      onDone(message);
    },
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const at = fromLocalInput(endsAt);
    if (at !== undefined) set.mutate({ subject, endsAt: at });
  };
  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Set when a VA’s access ends</h2>
      <form className="hold-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-subject`}>VA (IdP subject)</label>
          <input id={`${id}-subject`} value={subject} onChange={(e) => setSubject(e.target.value)} required maxLength={255} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-ends`}>Access ends at</label>
          <input id={`${id}-ends`} type="datetime-local" value={endsAt} onChange={(e) => setEndsAt(e.target.value)} required aria-describedby={`${id}-ends-hint`} />
          <p className="hint" id={`${id}-ends-hint`}>
            Your time zone. From then on the VA’s devices close the practice apps and sign them out, as if revoked. A later date replaces an earlier one.
          </p>
        </div>
        <button type="submit" disabled={set.isPending}>
          Set end date
        </button>
      </form>
      {set.isError && (
        <p className="notice notice-problem" role="alert">
          {errorMessage(set.error)}
        </p>
      )}
    </section>
  );
}

/** One list of revocations: who (the row's header) and the columns given. */
function RevocationTable({ id, title, empty, rows, columns }: { id: string; title: string; empty: string; rows: AccessRevocationRow[]; columns: [string, (row: AccessRevocationRow) => ReactNode][] }) {
  return (
    <TitledTable id={id} title={title} empty={rows.length === 0 ? empty : null}>
      <thead>
        <tr>
          <th scope="col">Who</th>
          {columns.map(([header]) => (
            <th scope="col" key={header}>
              {header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id}>
            <th scope="row">
              <Who row={row} />
            </th>
            {columns.map(([header, cell]) => (
              <td key={header}>{cell(row)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </TitledTable>
  );
}

function Revoked({ rows, onDone }: { rows: AccessRevocationRow[]; onDone: (message: string) => void }) {
  return (
    <RevocationTable
      id="revoked"
      title="Revoked now"
      empty="No device or VA is revoked."
      rows={rows}
      columns={[
        ['Since', (row) => when(row.effectiveAt)],
        ['Why', (row) => (row.reason === 'revoked' ? 'Revoked' : 'Access end date passed')],
        ['By', (row) => row.createdBy],
        ['Reinstate', (row) => <Reinstate row={row} onDone={onDone} />],
      ]}
    />
  );
}

/** Reinstating asks once more: the device (or the VA, on every device) may work again. */
function Reinstate({ row, onDone }: { row: AccessRevocationRow; onDone: (message: string) => void }) {
  const [asking, setAsking] = useState(false);
  const who = whoWords(row.kind, row.target, row.deviceName);
  const reinstate = useAccessChange(
    () => (row.kind === 'device' ? call('reinstateDevice', { params: { deviceId: row.target }, body: {} }) : call('reinstateUser', { body: { subject: row.target } })),
    () => `${who.charAt(0).toUpperCase()}${who.slice(1)} reinstated.`,
    onDone,
  );
  if (!asking) {
    return (
      <button type="button" className="secondary" onClick={() => setAsking(true)}>
        Reinstate<span className="visually-hidden"> {who}</span>
      </button>
    );
  }
  return (
    <Confirm label={`Reinstate ${who}`} confirm="Reinstate" keep="Keep revoked" busy={reinstate.isPending} onConfirm={() => reinstate.mutate(undefined)} onKeep={() => setAsking(false)} error={reinstate.error}>
      <p>{row.kind === 'device' ? 'The device may sign in and enroll again.' : 'The VA may sign in again on their devices.'} Reinstate?</p>
    </Confirm>
  );
}

function Scheduled({ rows, onDone }: { rows: AccessRevocationRow[]; onDone: (message: string) => void }) {
  return (
    <RevocationTable
      id="scheduled"
      title="Access end dates ahead"
      empty="No VA has an access end date ahead."
      rows={rows}
      columns={[
        ['Access ends', (row) => when(row.effectiveAt)],
        ['Set by', (row) => row.createdBy],
        ['Clear', (row) => <ClearEnd row={row} onDone={onDone} />],
      ]}
    />
  );
}

function ClearEnd({ row, onDone }: { row: AccessRevocationRow; onDone: (message: string) => void }) {
  const clear = useAccessChange(
    () => call('setUserAccessEnd', { body: { subject: row.target, endsAt: null } }),
    () => `VA ${row.target}’s access end date cleared.`,
    onDone,
  );
  return (
    <>
      <button type="button" className="secondary" onClick={() => clear.mutate(undefined)} disabled={clear.isPending}>
        Clear end date<span className="visually-hidden"> of {row.target}</span>
      </button>
      {clear.isError && (
        <p className="notice notice-problem" role="alert">
          {errorMessage(clear.error)}
        </p>
      )}
    </>
  );
}

function History({ rows }: { rows: AccessRevocationRow[] }) {
  return (
    <RevocationTable
      id="access-history"
      title="Reinstated and cleared"
      empty="No revocation has been lifted."
      rows={rows}
      columns={[
        [
          'Ended from',
          (row) => (
            <>
              {when(row.effectiveAt)} <span className="note">{row.reason === 'revoked' ? 'revoked' : 'access end date'}</span>
            </>
          ),
        ],
        ['By', (row) => row.createdBy],
        ['Lifted', (row) => (row.liftedAt === null ? '' : when(row.liftedAt))],
        ['Lifted by', (row) => row.liftedBy ?? ''],
      ]}
    />
  );
}
