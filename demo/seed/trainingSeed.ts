// Valerie's training records for the demo, dated from today so the demo looks the same any
// day: HIPAA privacy and security completed 340 days ago (due in about 25 days, so her
// Cordon shows the notice), phishing a month ago. Imported through the collector's own
// import, as the compliance officer's CSV would be; importing the same day again changes
// nothing. Nora has no records: the console shows her due.
import type { StorageConfig } from '../../collector/collectorConfig';
import { CollectorStore } from '../../collector/collectorStore';
import { importTraining } from '../../collector/training/trainingImport';
import { DEMO_USERS } from '../idp/demoUsers';

const DAY = 86_400_000;

export async function seedDemoTraining(storage: StorageConfig, now: number): Promise<void> {
  const valerie = DEMO_USERS.find((u) => u.username === 'valerie')?.subject ?? 'demo-va-0001';
  const day = (daysAgo: number) => new Date(now - daysAgo * DAY).toISOString().slice(0, 10);
  const text = `subject,course,completed_on\n${valerie},hipaa-privacy,${day(340)}\n${valerie},phishing,${day(30)}\n`;
  const store = await CollectorStore.open(storage);
  try {
    const outcome = await importTraining(store.database, null, { text, source: 'demo-seed.csv', by: 'demo seed', now });
    if (!outcome.ok) throw new Error(`the demo training records were refused: ${outcome.problems.map((p) => p.message).join('; ')}`);
  } finally {
    await store.close();
  }
}
