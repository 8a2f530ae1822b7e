// A connection of its own to the encrypted audit queue's file, for the gates' records kept
// beside the events (agreement acceptances, training status, access status): opened after the queue has
// applied its migrations, with the same raw 32-byte key. It fails here, not at first use,
// on a wrong key or a queue without the table asked for.
import Database from 'better-sqlite3-multiple-ciphers';

export function openQueueFileTable(file: string, key: Buffer, table: 'agreement_acceptances' | 'training_status' | 'access_status'): Database.Database {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma("cipher='sqlcipher'");
    db.pragma('legacy=4');
    db.pragma(`key="x'${key.toString('hex')}'"`);
    db.pragma('synchronous=FULL');
    db.prepare(`SELECT count(*) FROM ${table}`).get();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
