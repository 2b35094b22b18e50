/**
 * Legacy path of the segmentation reader, kept for callers written before issue 10.
 * @deprecated the parser is in src/hrv/validate/segmentation.ts, file reading in
 * src/node/files/annotations.ts; remove once no caller is left.
 */
export { parseSegmentation, type Segment } from '../hrv/validate/segmentation.js';
export { readSegmentation } from '../node/files/annotations.js';
