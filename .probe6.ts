import { trainOnDataset } from './src/model/node/trainDataset.js';
const r = await trainOnDataset({ dataDir: process.argv[2], modelDir: process.argv[3], epochs: Number(process.argv[4]), workers: Number(process.argv[5]) as 1|2, log: console.log,
  callbacks: { onEpochEnd: (l) => console.log(JSON.stringify(l)) } });
console.log(r.fit.seconds, r.params);
