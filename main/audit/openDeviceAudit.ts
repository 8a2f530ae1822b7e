// Opens this device's audit queue, its signing key, and the VAs' agreement acceptances, last
// confirmed training status and last confirmed access status (kept in the queue's file) from the user-data folder. Any failure (no keychain, an
// unwrappable key, a wrong key, a damaged file, a full disk) comes back as an
// AuditQueueError for the caller to lock on.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { AccessStatusStore } from '../gates/accessStatusStore';
import { AgreementStore } from '../gates/agreementStore';
import { TrainingStatusStore } from '../gates/trainingStatusStore';
import type { SecretCipher } from '../secrets/secretCipher';
import { AuditQueue, AuditQueueError, classifyQueueError } from './auditQueue';
import { loadDeviceKey, type DeviceKey } from './deviceKey';
import { loadOrCreateWrappedSecret, WrappedSecretError } from './wrappedSecrets';

export function openDeviceAudit(userDataDir: string, cipher: SecretCipher, platform: NodeJS.Platform): { queue: AuditQueue; deviceKey: DeviceKey; agreements: AgreementStore; training: TrainingStatusStore; access: AccessStatusStore } {
  const dir = path.join(userDataDir, 'audit');
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const key = loadOrCreateWrappedSecret(path.join(dir, 'queue-key.bin'), cipher, platform, () => randomBytes(32));
    const deviceKey = loadDeviceKey(path.join(dir, 'device-key.bin'), cipher, platform);
    const file = path.join(dir, 'queue.db');
    const queue = AuditQueue.open(file, key);
    const opened: { close(): void }[] = [queue];
    try {
      const agreements = AgreementStore.open(file, key);
      opened.push(agreements);
      const training = TrainingStatusStore.open(file, key);
      opened.push(training);
      return { queue, deviceKey, agreements, training, access: AccessStatusStore.open(file, key) };
    } catch (error) {
      for (const connection of opened) connection.close();
      throw error;
    }
  } catch (error) {
    if (error instanceof WrappedSecretError) throw new AuditQueueError(error.code === 'no-keychain' ? 'no-keychain' : 'wrong-key', error.message, { cause: error });
    throw classifyQueueError(error);
  }
}
