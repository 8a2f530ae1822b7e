// How urgent each kind of collector alert is for the people in the console's inbox.
import type { AlertRow } from '../../common/console/consoleApi';
import type { AlertKind } from '../alerts';

const SEVERITY: Record<AlertKind, AlertRow['severity']> = {
  edit: 'critical',
  fork: 'critical',
  truncation: 'critical',
  deletion: 'critical',
  'bad-signature': 'high',
  'unknown-device': 'high',
  replay: 'high',
  reorder: 'high',
  'bad-checkpoint': 'high',
  gap: 'medium',
  'invalid-event': 'medium',
  'stale-request': 'low',
};

export function alertSeverity(kind: string): AlertRow['severity'] {
  return SEVERITY[kind as AlertKind] ?? 'medium';
}
