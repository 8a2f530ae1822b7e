// The periodic access review (the practice's security KPIs): for a period, per VA and for
// all VAs, the sessions that started in it, hours worked, blocks by kind, the alerts about
// those sessions and how fast they were resolved, devices used and sessions reviewed; and
// every alert the practice had in the period. SQL aggregates over the console's tables
// (the same statements on SQLite and PostgreSQL): no event is read into memory.
import { sql, type AliasableExpression, type Kysely } from 'kysely';
import { BLOCK_KIND_NAMES, BLOCK_KINDS, type AccessReview, type BlockKind, type ReviewFigures, type ReviewStatus } from '../../common/console/consoleApi';
import { alertSeverity } from '../console/alertSeverity';
import { withRuleColumns } from '../console/consoleStore';
import type { CollectorDatabase } from '../database';

/** [from, to) in epoch milliseconds. */
interface Period {
  from: number;
  to: number;
}

export interface AccessReviewRequest {
  /** ISO instants, as the console asked. */
  from: string;
  to: string;
  practice: string;
  generatedBy: string;
  now: number;
}

export async function accessReview(db: Kysely<CollectorDatabase>, request: AccessReviewRequest): Promise<AccessReview> {
  const figures = await periodFigures(db, { from: Date.parse(request.from), to: Date.parse(request.to) });
  return {
    practice: request.practice,
    period: { from: new Date(request.from).toISOString(), to: new Date(request.to).toISOString() },
    generatedAt: new Date(request.now).toISOString(),
    generatedBy: request.generatedBy,
    ...figures,
  };
}

/** One alert as the figures need it: whose it is, and its resolution time once resolved. */
interface AlertFact {
  subject: string | null;
  resolution_ms: number | null;
}

const KIND_OF_TYPE = new Map<string, BlockKind>(Object.entries(BLOCK_KINDS).flatMap(([kind, types]) => types.map((type): [string, BlockKind] => [type, kind as BlockKind])));
// In canonical JSON the only unescaped `"outcome":"` is the key itself (quotes in values are
// escaped): the body says whether the event was a block without being parsed.
const BLOCKED_BODY = '%"outcome":"blocked"%';

/** PostgreSQL sends sums and averages as numeric text; SQLite as numbers; neither for no rows. */
const num = (value: unknown): number => Number(value ?? 0);
const ms = (value: unknown): number | null => (value === null || value === undefined ? null : Math.round(Number(value)));

type Grouped<T> = T & { subject?: string | null };
const keyOf = (row: { subject?: string | null }) => row.subject ?? null;

async function periodFigures(database: Kysely<CollectorDatabase>, period: Period): Promise<Pick<AccessReview, 'vas' | 'totals' | 'practiceAlerts'>> {
  const db = withRuleColumns(database);
  const sessionsInPeriod = () => db.selectFrom('sessions as s').where('s.started_at', '>=', period.from).where('s.started_at', '<', period.to);

  const sessionFigures = (perVa: boolean) =>
    sessionsInPeriod()
      .select((eb) => {
        const withStatus = (status: ReviewStatus) => eb.fn.sum<number>(eb.case().when('s.review_status', '=', status).then(1).else(0).end());
        return [
          eb.fn.countAll<number>().as('sessions'),
          eb.fn.sum<number>(sql`coalesce(s.ended_at, s.last_event_at) - s.started_at`).as('worked_ms'),
          eb.fn.sum<number>('s.blocks').as('blocks'),
          eb.fn.count<number>('s.device_id').distinct().as('devices'),
          withStatus('reviewed').as('reviewed'),
          withStatus('flagged').as('flagged'),
          withStatus('not-reviewed').as('not_reviewed'),
        ];
      })
      .$if(perVa, (qb) => qb.select('s.subject').groupBy('s.subject'))
      .execute();

  // The session's counter counts every blocked event; these are the ones of a named kind.
  const blocksByType = (perVa: boolean) =>
    sessionsInPeriod()
      .innerJoin('events as e', (join) => join.onRef('e.device_id', '=', 's.device_id').onRef('e.session_code', '=', 's.code'))
      .where('e.type', 'in', [...KIND_OF_TYPE.keys()])
      .where('e.body', 'like', BLOCKED_BODY)
      .select((eb) => ['e.type', eb.fn.countAll<number>().as('n')])
      .groupBy('e.type')
      .$if(perVa, (qb) => qb.select('s.subject').groupBy('s.subject'))
      .execute();

  // An alert belongs to the session its event falls in (a gap found at the next batch, one
  // past the last event); where two sessions could claim it, the later one does.
  const attributedAlerts = sessionsInPeriod()
    .innerJoin('alerts as a', (join) => join.onRef('a.device_id', '=', 's.device_id').on((eb) => eb.between('a.seq', eb.ref('s.first_seq'), eb(eb.ref('s.last_seq'), '+', 1))))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('sessions as later').select('later.code').whereRef('later.device_id', '=', 's.device_id').whereRef('later.first_seq', '>', 's.first_seq').whereRef('later.first_seq', '<=', 'a.seq'))))
    .select(['s.subject', resolutionMs().as('resolution_ms')]);
  const alertsInPeriod = db
    .selectFrom('alerts as a')
    .where('a.detected_at', '>=', period.from)
    .where('a.detected_at', '<', period.to)
    .select([sql<string | null>`null`.as('subject'), resolutionMs().as('resolution_ms')]);

  const alertCounts = (facts: AliasableExpression<AlertFact>, perVa: boolean) =>
    db
      .selectFrom(facts.as('t'))
      .select((eb) => [
        eb.fn.countAll<number>().as('raised'),
        eb.fn.count<number>('t.resolution_ms').as('resolved'),
        eb.fn.max('t.resolution_ms').as('max_ms'),
      ])
      .$if(perVa, (qb) => qb.select('t.subject').groupBy('t.subject'))
      .execute();

  // The median in SQL: rank each group's resolution times; the middle one (or two) is it.
  const medians = (facts: AliasableExpression<AlertFact>, perVa: boolean) => {
    const over = perVa ? sql`partition by t.subject` : sql``;
    const ranked = db
      .selectFrom(facts.as('t'))
      .where('t.resolution_ms', 'is not', null)
      .select(['t.subject', 't.resolution_ms', sql<number>`row_number() over (${over} order by t.resolution_ms)`.as('rank'), sql<number>`count(*) over (${over})`.as('n')]);
    return db
      .selectFrom(ranked.as('r'))
      .where(sql<boolean>`r.rank in ((r.n + 1) / 2, (r.n + 2) / 2)`)
      .select((eb) => eb.fn.avg('r.resolution_ms').as('median_ms'))
      .$if(perVa, (qb) => qb.select('r.subject').groupBy('r.subject'))
      .execute();
  };

  const figures = async (perVa: boolean): Promise<Map<string | null, ReviewFigures>> => {
    const [sessions, blocks, alerts, alertMedians] = await Promise.all([sessionFigures(perVa), blocksByType(perVa), alertCounts(attributedAlerts, perVa), medians(attributedAlerts, perVa)]);
    const byKey = new Map<string | null, ReviewFigures>();
    for (const row of sessions as Grouped<(typeof sessions)[number]>[]) {
      const total = num(row.blocks);
      byKey.set(keyOf(row), {
        sessions: num(row.sessions),
        workedMs: num(row.worked_ms),
        devices: num(row.devices),
        blocks: { ...(Object.fromEntries(BLOCK_KIND_NAMES.map((kind) => [kind, 0])) as Record<BlockKind, number>), other: total },
        blocksTotal: total,
        alerts: { raised: 0, resolved: 0, medianResolutionMs: null, maxResolutionMs: null },
        reviewed: num(row.reviewed),
        flagged: num(row.flagged),
        notReviewed: num(row.not_reviewed),
      });
    }
    for (const row of blocks as Grouped<(typeof blocks)[number]>[]) {
      const entry = byKey.get(keyOf(row));
      const kind = KIND_OF_TYPE.get(row.type ?? '');
      if (entry === undefined || kind === undefined) continue;
      entry.blocks[kind] += num(row.n);
      entry.blocks.other -= num(row.n);
    }
    for (const row of alerts as Grouped<(typeof alerts)[number]>[]) {
      const entry = byKey.get(keyOf(row));
      if (entry !== undefined) Object.assign(entry.alerts, { raised: num(row.raised), resolved: num(row.resolved), maxResolutionMs: ms(row.max_ms) });
    }
    for (const row of alertMedians as Grouped<(typeof alertMedians)[number]>[]) {
      const entry = byKey.get(keyOf(row));
      if (entry !== undefined) entry.alerts.medianResolutionMs = ms(row.median_ms);
    }
    return byKey;
  };

  const [perVa, all, practice, practiceMedian, byKind] = await Promise.all([
    figures(true),
    figures(false),
    alertCounts(alertsInPeriod, false),
    medians(alertsInPeriod, false),
    db
      .selectFrom('alerts as a')
      .where('a.detected_at', '>=', period.from)
      .where('a.detected_at', '<', period.to)
      .select((eb) => ['a.kind', 'a.severity', eb.fn.countAll<number>().as('raised'), eb.fn.sum<number>(eb.case().when('a.status', '=', 'resolved').then(1).else(0).end()).as('resolved')])
      .groupBy(['a.kind', 'a.severity'])
      .orderBy('a.kind')
      .execute(),
  ]);
  const totals = all.get(null) as ReviewFigures;
  const practiceRow = practice[0];
  return {
    vas: [...perVa].map(([subject, row]) => ({ subject, ...row })).sort((a, b) => (a.subject ?? '\uffff').localeCompare(b.subject ?? '\uffff')),
    totals,
    practiceAlerts: {
      raised: num(practiceRow?.raised),
      resolved: num(practiceRow?.resolved),
      medianResolutionMs: ms(practiceMedian[0]?.median_ms),
      maxResolutionMs: ms(practiceRow?.max_ms),
      byKind: byKind.map((r) => ({ kind: r.kind, severity: r.severity ?? alertSeverity(r.kind), raised: num(r.raised), resolved: num(r.resolved) })),
    },
  };
}

/** Detection to the resolve mark, for a resolved alert; null for one still open or acknowledged. */
function resolutionMs() {
  return sql<number | null>`case when a.status = 'resolved' and a.handled_at is not null then a.handled_at - a.detected_at end`;
}
