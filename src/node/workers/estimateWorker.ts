/** Worker thread of `estimateBatch`: receives `{ file, options }`, answers with a `BatchRow`. */
import { parentPort } from 'node:worker_threads';
import { estimateOne } from '../pipelines/estimateBatch.js';
import type { EstimateOptions } from '../../hrv/estimate.js';

parentPort!.on('message', (msg: { file: string; options: EstimateOptions }) => {
  void estimateOne(msg.file, msg.options).then((row) => parentPort!.postMessage(row));
});
