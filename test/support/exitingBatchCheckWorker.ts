// Test double of BatchChecker's worker thread (a real thread, its fault scripted): it stops
// on its first job, as a thread that crashed would.
import { parentPort } from 'node:worker_threads';

parentPort?.on('message', () => process.exit(3));
