// Test double of BatchChecker's worker thread (a real thread, its fault scripted): it takes
// jobs and never answers, as a stuck thread would.
import { parentPort } from 'node:worker_threads';

parentPort?.on('message', () => undefined);
