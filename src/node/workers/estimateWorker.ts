/** Worker thread of `estimateBatch`: receives `{ file, options }`, answers with a `BatchRow`. */
import { parentPort } from 'node:worker_threads';
import { estimateOne } from '../pipelines/estimateBatch.js';
import type { FileEstimateOptions } from '../pipelines/estimateFile.js';

parentPort!.on('message', (msg: { file: string; options: FileEstimateOptions }) => {
  void estimateOne(msg.file, msg.options).then((row) => parentPort!.postMessage(row));
});
