// The compliance officer's training CSV, checked row by row before anything is stored: a
// header naming the columns (subject, course, completed_on; optionally expires_on and
// action), then one completion per row. Every problem is reported with its row (the header
// is row 1, as a spreadsheet numbers them) and column; one problem anywhere and nothing is
// imported. Pure: the caller gives the text, the policy's courses and today's date.
import { calendarDateSchema, courseIdSchema } from '../../common/policy/policySchema';
import { MAX_TRAINING_CSV_CHARS, type TrainingImportProblem } from '../../common/console/consoleApi';
import { readCsvRecords } from './csvRecords';

export const REQUIRED_COLUMNS = ['subject', 'course', 'completed_on'] as const;
export const OPTIONAL_COLUMNS = ['expires_on', 'action'] as const;
type Column = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];
const COLUMNS_IN_WORDS = `${REQUIRED_COLUMNS.join(', ')}, and optionally ${OPTIONAL_COLUMNS.join(' and ')}`;

export const MAX_TRAINING_CSV_ROWS = 20_000;
/** Reported one by one up to this many; the rest are counted. */
export const MAX_REPORTED_PROBLEMS = 200;
const MAX_SUBJECT = 255;

/** `add` records a completion; `revoke` removes one recorded in error. */
export type TrainingAction = 'add' | 'revoke';

export interface TrainingRow {
  /** Its row in the file (the header is row 1). */
  row: number;
  subject: string;
  course: string;
  completedOn: string;
  expiresOn: string | null;
  action: TrainingAction;
}

export interface TrainingCsvOptions {
  /** The policy's courses (id to title); null when the collector has no policy to check against. */
  courses: ReadonlyMap<string, string> | null;
  /** Today as YYYY-MM-DD (UTC): a completion cannot be dated later than the day after. */
  today: string;
}

export type TrainingCsvResult = { ok: true; rows: TrainingRow[] } | { ok: false; rows: number; problems: TrainingImportProblem[] };

const dayAfter = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export function parseTrainingCsv(text: string, options: TrainingCsvOptions): TrainingCsvResult {
  const refuse = (problems: TrainingImportProblem[], rows = 0): TrainingCsvResult => ({ ok: false, rows, problems });
  if (text.length > MAX_TRAINING_CSV_CHARS) return refuse([{ row: null, column: null, message: `the file is larger than ${MAX_TRAINING_CSV_CHARS.toLocaleString('en-US')} characters; split it into smaller files` }]);
  // What a UTF-8 decoder makes of other encodings (a spreadsheet's "CSV" in Windows-1252).
  if (text.includes('\uFFFD')) return refuse([{ row: null, column: null, message: 'the file is not UTF-8 text; save it from the spreadsheet as "CSV UTF-8"' }]);
  const reading = readCsvRecords(text);
  if (!reading.ok) return refuse([{ row: null, column: null, message: `line ${reading.line}: ${reading.problem}` }]);
  const [header, ...records] = reading.records;
  if (header === undefined) return refuse([{ row: null, column: null, message: `the file is empty; its first row names the columns: ${COLUMNS_IN_WORDS}` }]);

  const problems: TrainingImportProblem[] = [];
  const names = header.fields.map((name) => name.trim().toLowerCase());
  const known: readonly string[] = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];
  names.forEach((name, i) => {
    if (!known.includes(name)) problems.push({ row: 1, column: null, message: `column ${i + 1} is named "${header.fields[i] ?? ''}", which is not a column of a training file (the columns are ${COLUMNS_IN_WORDS})` });
    else if (names.indexOf(name) !== i) problems.push({ row: 1, column: name, message: `the column ${name} appears twice` });
  });
  for (const name of REQUIRED_COLUMNS) if (!names.includes(name)) problems.push({ row: 1, column: name, message: `the column ${name} is missing (the columns are ${COLUMNS_IN_WORDS})` });
  if (problems.length > 0) return refuse(problems, records.length);
  if (records.length === 0) return refuse([{ row: null, column: null, message: 'the file has no rows after its header: nothing to import' }]);
  if (records.length > MAX_TRAINING_CSV_ROWS) return refuse([{ row: null, column: null, message: `the file has ${records.length} rows; at most ${MAX_TRAINING_CSV_ROWS} go in one import, so split it` }], records.length);

  const latest = dayAfter(options.today);
  const seen = new Map<string, TrainingRow>();
  const rows: TrainingRow[] = [];
  records.forEach((record, index) => {
    const row = index + 2;
    const problem = (column: Column | null, message: string) => problems.push({ row, column, message });
    if (record.fields.length !== names.length) {
      problem(null, `it has ${record.fields.length} field${record.fields.length === 1 ? '' : 's'}, but the header has ${names.length}`);
      return;
    }
    const value = (column: Column) => (record.fields[names.indexOf(column)] ?? '').trim();
    const before = problems.length;

    const subject = value('subject');
    if (subject === '') problem('subject', "is empty: give the VA's IdP subject, as the console's sessions show it");
    else if (subject.length > MAX_SUBJECT) problem('subject', `is longer than ${MAX_SUBJECT} characters`);
    else if ([...subject].some((char) => char < ' ' || char === '\u007f')) problem('subject', 'holds a line break or another control character');

    const course = value('course');
    if (!courseIdSchema.safeParse(course).success) problem('course', `"${course}" is not a course id (lowercase letters, digits and hyphens, e.g. hipaa-privacy)`);
    else if (options.courses !== null && !options.courses.has(course)) problem('course', `"${course}" is not a course the policy requires (its courses: ${[...options.courses.keys()].join(', ')})`);

    const completedOn = value('completed_on');
    const completed = calendarDateSchema.safeParse(completedOn);
    if (!completed.success) problem('completed_on', `"${completedOn}" ${completed.error.issues[0]?.message ?? 'is not a date'}`);
    else if (completedOn > latest) problem('completed_on', `${completedOn} is in the future`);

    const expiresText = names.includes('expires_on') ? value('expires_on') : '';
    const expires = expiresText === '' ? null : calendarDateSchema.safeParse(expiresText);
    if (expires !== null && !expires.success) problem('expires_on', `"${expiresText}" ${expires.error.issues[0]?.message ?? 'is not a date'}`);
    else if (expires !== null && completed.success && expiresText <= completedOn) problem('expires_on', `${expiresText} is not after the completion on ${completedOn}`);

    const actionText = names.includes('action') ? value('action').toLowerCase() : '';
    if (actionText !== '' && actionText !== 'add' && actionText !== 'revoke') problem('action', `"${value('action')}" is neither add nor revoke (empty means add)`);
    if (problems.length > before) return;

    const parsed: TrainingRow = { row, subject, course, completedOn, expiresOn: expiresText === '' ? null : expiresText, action: actionText === 'revoke' ? 'revoke' : 'add' };
    const key = `${subject}\u0000${course}\u0000${completedOn}`;
    const earlier = seen.get(key);
    if (earlier === undefined) {
      seen.set(key, parsed);
      rows.push(parsed);
    } else if (earlier.expiresOn !== parsed.expiresOn || earlier.action !== parsed.action) {
      problem(null, `the same completion as row ${earlier.row} (${subject}, ${course}, ${completedOn}) with a different expires_on or action`);
    }
  });
  return problems.length === 0 ? { ok: true, rows } : refuse(problems, records.length);
}
