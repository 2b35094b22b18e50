import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { folderSegmenterSource } from '../src/node/files/segmenterStore.js';
import { loadSegmenter } from '../src/model/segmenterBundle.js';
import { denseForward, denseNetworkFromArtifacts } from '../src/model/denseNetwork.js';
import { contextLayerFft, gatherContext, predictPosteriorsDense } from '../src/model/segmenterInference.js';
import { predictPosteriors } from '../src/model/architectures/segmenter.js';
import { gate, gateSignal } from '../src/hrv/gate/index.js';
import { readWav } from '../src/node/files/wav.js';
import { classicalEstimator } from '../src/hrv/classical/estimator.js';
import { resolveEstimateOptions } from '../src/hrv/estimate.js';
import { InputError } from '../src/errors.js';

test('plain-JS segmenter inference matches TF.js (cpu backend) on the shipped weights', async () => {
  await tf.setBackend('cpu');
  const source = folderSegmenterSource();
  const { artifacts } = await source();
  const seg = await loadSegmenter(source);
  const model = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
  const arch = seg.bundle.architecture;
  const nFrames = 300;
  const features = new Float32Array(nFrames * arch.nFeatures);
  let s = 7;
  for (let i = 0; i < features.length; i++) {
    s = (s * 16807) % 2147483647;
    features[i] = (s / 2147483647 - 0.5) * 4;
  }
  const ref = predictPosteriors(model, arch, features, nFrames);
  // the direct path (gathered windows, chunks of 128 frames) and the FFT path (the default)
  for (const chunkFrames of [128, 0]) {
    const js = predictPosteriorsDense(seg.network, arch.offsets, arch.nFeatures, features, nFrames, chunkFrames);
    assert.equal(js.length, ref.length);
    let maxDiff = 0;
    for (let i = 0; i < js.length; i++) maxDiff = Math.max(maxDiff, Math.abs(js[i]! - ref[i]!));
    assert.ok(maxDiff < 1e-5, `chunk ${chunkFrames}: max |Δposterior| ${maxDiff}`);
  }
  model.dispose();
});

test('the FFT first layer equals the direct sum, across overlap-save blocks and at the edges', async () => {
  const seg = await loadSegmenter(folderSegmenterSource());
  const arch = seg.bundle.architecture;
  const layer = seg.network.layers[0]!;
  for (const nFrames of [1, 40, 2500]) {
    const features = Float32Array.from({ length: nFrames * arch.nFeatures }, (_, i) => Math.sin(i * 0.37) + Math.cos(i * 0.0113));
    const fft = contextLayerFft(layer, arch.offsets, arch.nFeatures, features, nFrames);
    const x = new Float32Array(nFrames * layer.nIn);
    gatherContext(features, nFrames, arch.nFeatures, Int32Array.from({ length: nFrames }, (_, i) => i), arch.offsets, x);
    const direct = denseForward({ layers: [layer], inputWidth: layer.nIn, outputWidth: layer.nOut }, x, nFrames);
    let maxDiff = 0;
    for (let i = 0; i < direct.length; i++) maxDiff = Math.max(maxDiff, Math.abs(fft[i]! - direct[i]!));
    assert.ok(maxDiff < 1e-5, `${nFrames} frames: max |Δ| ${maxDiff}`);
  }
});

test('the dense reader refuses what it cannot run', () => {
  const base = { weightData: new ArrayBuffer(8), weightSpecs: [{ name: 'd/kernel', shape: [1, 2], dtype: 'float32' as const }] };
  const layer = (activation: string) => ({ class_name: 'Sequential', config: { layers: [{ class_name: 'Dense', config: { name: 'd', units: 2, activation, use_bias: false } }] } });
  assert.equal(denseNetworkFromArtifacts({ ...base, modelTopology: layer('relu') }).outputWidth, 2);
  assert.throws(() => denseNetworkFromArtifacts({ ...base, modelTopology: layer('tanh') }), InputError);
  assert.throws(() => denseNetworkFromArtifacts({ ...base, modelTopology: { class_name: 'Model', config: {} } }), InputError);
  assert.throws(() => denseNetworkFromArtifacts({ ...base, weightData: new ArrayBuffer(4), modelTopology: layer('relu') }), /shorter/);
});

test('the gate gives the same result with shared measurements as without', async () => {
  const audio = readWav(new URL('../fixtures/pcg/84802_AV.wav', import.meta.url).pathname);
  const x = Float64Array.from(audio.samples);
  const opts = resolveEstimateOptions({ method: 'classical' });
  const det = await classicalEstimator.analyse({ samples: x, sampleRateHz: audio.sampleRateHz, durationS: x.length / audio.sampleRateHz }, opts);
  const shared = gateSignal(x, audio.sampleRateHz);
  const a = gate(x, audio.sampleRateHz, det, {}, shared);
  const b = gate(x, audio.sampleRateHz, det, {}, shared); // reused: not mutated by the first call
  const c = gate(x, audio.sampleRateHz, det);
  assert.deepEqual(a, c);
  assert.deepEqual(b, c);
});
