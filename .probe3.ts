import * as tf from '@tensorflow/tfjs-core';
import { initNodeBackend } from './src/model/node/backend.js';
import { setFilterGradChunkRows } from './src/model/kernels/conv2dBackpropFilter.js';
await initNodeBackend('wasm');
for (const chunk of [512, 1024, 2048, 4096, 512, 1024, 2048, 4096]) {
  setFilterGradChunkRows(chunk);
  const res: string[] = [];
  for (const [xs, O] of [[[32,129,38,1],32],[[32,64,19,32],64],[[32,32,9,64],128],[[32,16,4,128],128]] as const) {
    const times: number[] = [];
    for (let rep=0;rep<4;rep++){
      const x = tf.randomNormal(xs as any), dy = tf.randomNormal([xs[0],xs[1],xs[2],O]);
      const t = performance.now();
      const g = tf.engine().runKernel('Conv2DBackpropFilter', {x, dy}, {strides:1,pad:'same',dataFormat:'NHWC',filterShape:[3,3,xs[3],O]}) as tf.Tensor;
      g.dataSync();
      times.push(performance.now()-t);
      tf.dispose([x,dy,g]);
    }
    times.sort((a,b)=>a-b);
    res.push(times[1].toFixed(1));
  }
  console.log(chunk, res.join(' '));
}
