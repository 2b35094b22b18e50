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
    void estimateOne(msg.file, msg.options).then((row) => {
      // the parent may have gone (its output closed, e.g. `| head -1`) while this file ran: then
      // the answer has nowhere to go; the callback takes the EPIPE that would else be thrown
      if (!process.connected) return;
      process.send!(row, undefined, undefined, (err) => {
        if (err) process.exit(0);
      });
    });
  });
  // the parent went away (killed, or done): nothing left to answer
  process.on('disconnect', () => process.exit(0));
}
