// The access review as CSV for a spreadsheet: one row per VA, one for all VAs, and one for
// every alert the practice had in the period (its alert columns only). Each row names its
// period, so a row pasted elsewhere still says what it covers. Every cell is quoted and
// made formula-safe by the export's own writer (a leading ' before = + - @ …).
import { BLOCK_KIND_NAMES, type AccessReview, type ReviewFigures } from '../../common/console/consoleApi';
import { csvText } from '../export/csvExport';

export const ACCESS_REVIEW_COLUMNS = [
  'scope',
  'va',
  'period_from',
  'period_to',
  'sessions',
  'hours_worked',
  'devices',
  'blocks_total',
  ...BLOCK_KIND_NAMES.map((kind) => `blocks_${kind}`),
  'alerts_raised',
  'alerts_resolved',
  'resolution_median_minutes',
  'resolution_max_minutes',
  'sessions_reviewed',
  'sessions_flagged',
  'sessions_not_reviewed',
] as const;

const hours = (ms: number) => (ms / 3_600_000).toFixed(2);
const minutes = (ms: number | null) => (ms === null ? '' : (ms / 60_000).toFixed(1));

function alertCells(alerts: ReviewFigures['alerts']): string[] {
  return [String(alerts.raised), String(alerts.resolved), minutes(alerts.medianResolutionMs), minutes(alerts.maxResolutionMs)];
}

function figureCells(f: ReviewFigures): string[] {
  return [String(f.sessions), hours(f.workedMs), String(f.devices), String(f.blocksTotal), ...BLOCK_KIND_NAMES.map((kind) => String(f.blocks[kind])), ...alertCells(f.alerts), String(f.reviewed), String(f.flagged), String(f.notReviewed)];
}

/** Written as the event export writes CSV (csvText). */
export function accessReviewCsv(report: AccessReview): string {
  const { from, to } = report.period;
  const sessionColumns = 4 + BLOCK_KIND_NAMES.length;
  const rows = [
    ...report.vas.map((va) => ['va', va.subject ?? '(no user recorded)', from, to, ...figureCells(va)]),
    ['all-vas', '', from, to, ...figureCells(report.totals)],
    ['practice-alerts', '', from, to, ...Array<string>(sessionColumns).fill(''), ...alertCells(report.practiceAlerts), '', '', ''],
  ];
  return csvText(ACCESS_REVIEW_COLUMNS, rows);
}

const compactTime = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

/** The CSV as the file a browser saves, named by its period. */
export function accessReviewFile(report: AccessReview): { fileName: string; contentType: string; content: Uint8Array } {
  return {
    fileName: `cordon-access-review-${compactTime(report.period.from)}-${compactTime(report.period.to)}.csv`,
    contentType: 'text/csv; charset=utf-8',
    content: new Uint8Array(Buffer.from(accessReviewCsv(report), 'utf8')),
  };
}
