import * as tf from '@tensorflow/tfjs-core';
import { initNodeBackend } from './src/model/node/backend.js';
import { buildSeedCnn } from './src/model/cnn.js';
await initNodeBackend('wasm');
const m = buildSeedCnn([129,38,1], {seed: 1});
const opt = tf.train.adam(1e-3);
const aggs: Map<string, number[]> = new Map();
for (let rep=0; rep<6; rep++) {
  const x = tf.randomNormal([32,129,38,1]), y1 = tf.randomNormal([32,1]), y2=tf.randomNormal([32,1]);
  const prof = await tf.profile(() => { const c = opt.minimize(() => { const [a,b] = m.apply(x, {training: true}) as tf.Tensor[]; return tf.add(tf.losses.meanSquaredError(y1,a), tf.losses.meanSquaredError(y2,b)) as tf.Scalar; }, true)!; c.dataSync(); c.dispose(); });
  tf.dispose([x,y1,y2]);
  if (rep < 1) continue;
  const agg = new Map<string, number>();
  let tot = 0;
  for (const k of prof.kernels) { const ms = k.kernelTimeMs as number; const key = k.name + (/Backprop|MaxPoolGrad|^Conv2D$|Sum/.test(k.name) ? ' ' + JSON.stringify(k.inputShapes[0]) : ''); agg.set(key, (agg.get(key) ?? 0) + ms); tot += ms; }
  agg.set('TOTAL', tot);
  for (const [k, v] of agg) { if (!aggs.has(k)) aggs.set(k, []); aggs.get(k)!.push(v); }
}
const med = (v: number[]) => v.slice().sort((a,b)=>a-b)[Math.floor(v.length/2)];
console.log([...aggs].map(([k,v]) => [k, med(v)] as const).sort((a,b)=>b[1]-a[1]).slice(0,24).map(([k,v])=>`${v.toFixed(1).padStart(7)} ${k}`).join('\n'));
