// Numbered schema migrations of the audit queue, applied in order and recorded in
// PRAGMA user_version. A migration is never edited once shipped; a new one is added.
import { migration001Events } from './001_events';
import { migration002Checkpoints } from './002_checkpoints';
import { migration003ChainAnchor } from './003_chain_anchor';
import { migration004Enrollment } from './004_enrollment';
import { migration005AgreementAcceptances } from './005_agreement_acceptances';
import { migration006TrainingStatus } from './006_training_status';
import { migration007Deliveries } from './007_deliveries';
import { migration008AccessStatus } from './008_access_status';

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [migration001Events, migration002Checkpoints, migration003ChainAnchor, migration004Enrollment, migration005AgreementAcceptances, migration006TrainingStatus, migration007Deliveries, migration008AccessStatus];
