/** The model bundle: the whole front end recorded, checked on load, old folders on the seed front end. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUNDLE_FORMAT_VERSION, SEED_SPECTROGRAM_SETTINGS, seedCnnBundle, seedFrontEnd, spectrogramFrontEnd, validateBundle } from '../src/model/bundle.js';
import type { PreprocessParams } from '../src/model/preprocess.js';

const pre: PreprocessParams = {
  format: 'hrv-audio-preprocess',
  formatVersion: 1,
  mode: 'improved',
  inputShape: [129, 38, 1],
  input: { transform: 'db', dbFloor: 1e-12, mean: -40, std: 10 },
  targets: { hr: { label: 'hr_bpm', offset: 75, scale: 12 }, hrv: { label: 'hrv_s', offset: 0, scale: 0.05 } },
};

test('seedCnnBundle records the architecture, the seed spectrogram settings, dB and standardisation', () => {
  const b = seedCnnBundle(pre, '0.1.0', { seed: 42 });
  assert.equal(b.formatVersion, BUNDLE_FORMAT_VERSION);
  assert.equal(b.architecture, 'seed-cnn');
  const fe = spectrogramFrontEnd(b);
  assert.equal(fe.sampleRateHz, 1000);
  assert.equal(fe.nperseg, 256);
  assert.equal(fe.noverlap, 128);
  assert.deepEqual(fe.transform, pre.input);
  assert.deepEqual(fe.inputShape, [129, 38, 1]);
  assert.equal(b.training.seed, 42);
  // a round trip through JSON validates
  assert.deepEqual(validateBundle(JSON.parse(JSON.stringify(b))), b);
  assert.deepEqual(seedFrontEnd(pre), { kind: 'spectrogram', ...SEED_SPECTROGRAM_SETTINGS, transform: pre.input, inputShape: pre.inputShape });
});

test('validateBundle: one-line messages that say what to do', () => {
  const b = seedCnnBundle(pre, '0.1.0');
  assert.throws(() => validateBundle({ ...b, formatVersion: BUNDLE_FORMAT_VERSION + 1 }), /update hrv-audio/);
  assert.throws(() => validateBundle({ ...b, architecture: 'transformer' }), /unknown architecture 'transformer'/);
  assert.throws(() => validateBundle({ ...b, frontEnd: { kind: 'mfcc', sampleRateHz: 1000 } }), /front end is missing or unknown/);
  assert.throws(() => validateBundle({ ...b, frontEnd: { ...b.frontEnd, nperseg: 2.5 } }), /nperseg/);
  assert.throws(() => validateBundle({ ...b, frontEnd: { ...b.frontEnd, shiftsMs: [] } }), /shiftsMs/);
  assert.throws(() => validateBundle({ ...b, frontEnd: { ...b.frontEnd, shiftsMs: [0, 'x'] } }), /shiftsMs/);
  assert.doesNotThrow(() => validateBundle({ ...b, frontEnd: { ...b.frontEnd, shiftsMs: [-96, 0, 96] } }));
  assert.throws(() => validateBundle({ format: 'something' }), /not an hrv-audio model bundle/);
  assert.throws(() => spectrogramFrontEnd({ ...b, architecture: 'segmenter', frontEnd: { kind: 'segmenter-features', sampleRateHz: 1000 } }), /not a spectrogram/);
});
