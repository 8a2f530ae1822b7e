// Compliance status, for compliance officers and supervisors: each VA against the agreements
// and courses the practice's policy requires, current, due soon, due or overdue (and whether
// their apps are closed for it), judged as each VA's Cordon judges it. Compliance imports training
// completions here from a CSV; a refused file is listed problem by problem, row and column,
// and nothing of it is kept. Each import is in the access log.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type ChangeEvent, type FormEvent, type ReactNode } from 'react';
import type { z } from 'zod';
import { CONSOLE_ROUTES, importProblemLine, mayCall, trainingImportRefusalSchema, type AgreementStandingRow, type ComplianceStatus, type CourseStandingRow, type TrainingImportSummary } from '../../common/console/consoleApi';
import type { OutstandingWhy } from '../../common/gates/agreementStanding';
import type { CourseState } from '../../common/gates/trainingStanding';
import { call, ConsoleApiError } from '../api/consoleClient';
import { formatDate, formatDayTime } from '../format';
import { Loading, Problem, TableRegion, TitledTable, ViewHeading } from '../ui';

/** Each state in words and a mark, never colour alone. */
const STATE_WORDS: Record<CourseState | AgreementStandingRow['state'], { label: string; mark: string }> = {
  current: { label: 'Current', mark: '✓' },
  'due-soon': { label: 'Due soon', mark: '◷' },
  due: { label: 'Due at next sign-in', mark: '!' },
  overdue: { label: 'Overdue', mark: '!' },
  closed: { label: 'Overdue, apps closed', mark: '✕' },
};
const WHY_WORDS: Record<OutstandingWhy, string> = {
  'never-accepted': 'never accepted',
  'new-version': 'a new version to accept',
  'text-changed': 'its text changed',
  'period-ended': 'a year since the last acceptance',
  unreadable: 'the acceptance cannot be read',
};
type Va = ComplianceStatus['vas'][number];
const needsAttention = (va: Va) => va.courses.some((c) => c.state !== 'current') || va.agreements.some((a) => a.state !== 'current');

export function ComplianceView({ roles }: { roles: readonly string[] }) {
  const status = useQuery({ queryKey: ['compliance'], queryFn: () => call('compliance') });
  const [onlyDue, setOnlyDue] = useState(false);
  const mayImport = mayCall(CONSOLE_ROUTES.importTraining, roles);
  return (
    <>
      <ViewHeading title="Compliance status">Compliance status</ViewHeading>
      <p className="lede">Who is current, due soon, due or overdue on the agreements and training the practice’s policy requires, as each VA’s Cordon sees it today. A VA with an agreement due accepts it at their next sign-in before any app opens; a VA whose course is overdue past its grace period cannot open the practice’s apps.</p>
      {status.isPending && <Loading what="compliance status" />}
      {status.isError && <Problem error={status.error} />}
      {status.data !== undefined && (
        <>
          {status.data.problem !== null && (
            <p className="notice notice-problem" role="alert">
              {status.data.problem}
            </p>
          )}
          <p className="muted" data-testid="judged-by">
            {status.data.policy === null ? 'No policy to judge by.' : `Judged by policy ${status.data.policy.policyId}, serial ${status.data.policy.serial}, as of ${formatDayTime(status.data.asOf)}.`}
          </p>
          <label className="inline-check">
            <input type="checkbox" checked={onlyDue} onChange={(event) => setOnlyDue(event.target.checked)} /> Show only VAs with something due or overdue
          </label>
          <Standings status={status.data} onlyDue={onlyDue} />
          {mayImport && <ImportTraining />}
          <Imports imports={status.data.imports} />
        </>
      )}
    </>
  );
}

function StateCell({ state, detail }: { state: keyof typeof STATE_WORDS; detail: string }) {
  const { label, mark } = STATE_WORDS[state];
  return (
    <td data-state={state}>
      <span className={`standing standing-${state}`}>
        <span aria-hidden="true">{mark}</span> {label}
      </span>
      <span className="visually-hidden">: </span>
      <span className="note">{detail}</span>
    </td>
  );
}

function AgreementCell({ row }: { row: AgreementStandingRow | undefined }) {
  if (row === undefined) return <td>—</td>;
  const accepted = row.acceptedAt === null ? null : `version ${row.acceptedVersion ?? '?'} accepted ${formatDayTime(row.acceptedAt)}`;
  const detail = row.why !== null ? [WHY_WORDS[row.why], accepted].filter((part) => part !== null).join('; ') : `${accepted ?? ''}${row.renewBy === null ? '' : `; again by ${formatDayTime(row.renewBy)}`}`;
  return <StateCell state={row.state} detail={detail} />;
}

function CourseCell({ row }: { row: CourseStandingRow | undefined }) {
  if (row === undefined) return <td>—</td>;
  const detail =
    row.dueAt === null
      ? row.completedOn === null
        ? 'no completion on record'
        : `completed ${formatDate(`${row.completedOn}T00:00:00Z`)}; does not expire`
      : `${row.completedOn === null ? 'never completed' : `completed ${formatDate(`${row.completedOn}T00:00:00Z`)}`}; ${row.state === 'overdue' || row.state === 'closed' ? 'was due' : 'due'} ${formatDate(row.dueAt)}${row.state === 'overdue' && row.closesAt !== null ? `; apps close ${formatDate(row.closesAt)}` : ''}`;
  return <StateCell state={row.state} detail={detail} />;
}

function Standings({ status, onlyDue }: { status: ComplianceStatus; onlyDue: boolean }) {
  const rows = onlyDue ? status.vas.filter(needsAttention) : status.vas;
  if (status.vas.length === 0) return <p className="empty panel">No VA has signed in, accepted an agreement or has training records yet.</p>;
  if (rows.length === 0) return <p className="empty panel">Every VA is current.</p>;
  return (
    <>
      {status.agreements.length > 0 && (
        <ByVa id="agreements" caption="Agreements by VA" columns={status.agreements.map((doc) => ({ id: doc.id, title: `${doc.title} (version ${doc.version})` }))} rows={rows} cell={(va, id) => <AgreementCell key={id} row={va.agreements.find((a) => a.document === id)} />} />
      )}
      {status.courses.length > 0 && <ByVa id="training" caption="Training by VA" columns={status.courses} rows={rows} cell={(va, id) => <CourseCell key={id} row={va.courses.find((c) => c.course === id)} />} />}
    </>
  );
}

function ByVa({ id, caption, columns, rows, cell }: { id: string; caption: string; columns: readonly { id: string; title: string }[]; rows: readonly Va[]; cell: (va: Va, column: string) => ReactNode }) {
  return (
    <TableRegion labelledBy={`${id}-caption`}>
      <table className="data">
        <caption id={`${id}-caption`}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">VA (IdP subject)</th>
            {columns.map((column) => (
              <th scope="col" key={column.id}>
                {column.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((va) => (
            <tr key={va.subject}>
              <th scope="row">
                <span className="code">{va.subject}</span>
              </th>
              {columns.map((column) => cell(va, column.id))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}

const refusalBody = trainingImportRefusalSchema.pick({ problems: true, moreProblems: true });

/** A refused import's problems, when the collector sent them. */
function refusalOf(error: unknown): z.infer<typeof refusalBody> | null {
  if (!(error instanceof ConsoleApiError) || error.code !== 'not-imported') return null;
  const parsed = refusalBody.safeParse(error.body);
  return parsed.success ? parsed.data : null;
}

function ImportTraining() {
  const queryClient = useQueryClient();
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const upload = useMutation({
    mutationFn: async (chosen: File) => call('importTraining', { body: { fileName: chosen.name, text: await chosen.text() } }),
    onSuccess: (summary: TrainingImportSummary) => {
      setDone(`Imported ${summary.source}: ${summary.rows} rows, ${summary.added} added, ${summary.updated} updated, ${summary.unchanged} already on record, ${summary.revoked} revoked.`);
      return queryClient.invalidateQueries({ queryKey: ['compliance'] });
    },
  });
  const choose = (event: ChangeEvent<HTMLInputElement>) => {
    setFile(event.target.files?.[0] ?? null);
    setDone(null);
    upload.reset();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (file !== null) upload.mutate(file);
  };
  const refusal = refusalOf(upload.error);
  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Import training completions</h2>
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-file`}>CSV file</label>
          <input id={`${id}-file`} type="file" accept=".csv,text/csv" onChange={choose} required aria-describedby={`${id}-hint`} />
          <p className="hint" id={`${id}-hint`}>
            A header row, then one completion per row: <span className="code">subject,course,completed_on</span> (the VA’s IdP subject, the course id from the policy, a date as YYYY-MM-DD), and optionally <span className="code">expires_on</span> and <span className="code">action</span> (add, or revoke to remove a completion recorded in error). The whole file is checked first; one problem anywhere and nothing is imported.
          </p>
        </div>
        <button type="submit" disabled={file === null || upload.isPending}>
          Import
        </button>
      </form>
      <p className="form-status" role="status">
        {done}
      </p>
      {upload.isError && refusal === null && <Problem error={upload.error} />}
      {refusal !== null && (
        <div className="notice notice-problem" role="alert">
          <p>
            Nothing was imported from {file?.name ?? 'the file'}. Fix {refusal.problems.length + refusal.moreProblems === 1 ? 'this problem' : `these ${refusal.problems.length + refusal.moreProblems} problems`} and import it again (row 1 is the header):
          </p>
          <ul className="plain-list" aria-label="Problems in the file">
            {refusal.problems.map((problem, i) => (
              <li key={i}>{importProblemLine(problem)}</li>
            ))}
            {refusal.moreProblems > 0 && <li>… and {refusal.moreProblems} more.</li>}
          </ul>
        </div>
      )}
    </section>
  );
}

function Imports({ imports }: { imports: TrainingImportSummary[] }) {
  return (
    <TitledTable id="imports" title="Recent imports" empty={imports.length === 0 ? 'No training records have been imported.' : null}>
      <thead>
        <tr>
          <th scope="col">Import</th>
          <th scope="col">File</th>
          <th scope="col">When</th>
          <th scope="col">By</th>
          <th scope="col" className="num">
            Rows
          </th>
          <th scope="col">Changes</th>
        </tr>
      </thead>
      <tbody>
        {imports.map((row) => (
          <tr key={row.id}>
            <th scope="row">#{row.id}</th>
            <td>{row.source}</td>
            <td>
              <time dateTime={row.importedAt}>{formatDayTime(row.importedAt)}</time>
            </td>
            <td>{row.importedBy}</td>
            <td className="num">{row.rows}</td>
            <td>
              {row.added} added, {row.updated} updated, {row.unchanged} already on record, {row.revoked} revoked
            </td>
          </tr>
        ))}
      </tbody>
    </TitledTable>
  );
}
