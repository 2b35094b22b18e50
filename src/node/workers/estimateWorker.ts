/**
 * Worker of `estimateBatch`: receives `{ file, options }`, answers with a `BatchRow`. Runs as a
 * child process (IPC, `startWorkerProcess`); as a worker thread it listens on `parentPort`.
 */
import { parentPort } from 'node:worker_threads';
import { estimateOne } from '../pipelines/estimateBatch.js';
import type { FileEstimateOptions } from '../pipelines/estimateFile.js';

type Request = { file: string; options: FileEstimateOptions };

if (parentPort) {
  const port = parentPort;
  port.on('message', (msg: Request) => {
    void estimateOne(msg.file, msg.options).then((row) => port.postMessage(row));
  });
} else if (process.send) {
  process.on('message', (msg: Request) => {
    void estimateOne(msg.file, msg.options).then((row) => process.send!(row));
  });
  // the parent went away (killed, or done): nothing left to answer
  process.on('disconnect', () => process.exit(0));
}
