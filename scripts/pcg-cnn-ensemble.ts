/**
 * Ensembles and weight averages ("model soups") of trained seed CNNs (issue 15, part 2, helper
 * cnn3). No training. Models are chosen on the circor-train validation patients only; pcg-real is
 * scored only when asked (--real), once per final candidate.
 *
 *   node --import tsx scripts/pcg-cnn-ensemble.ts predict --dataset /tmp/cnnw/circor-h1 \
 *       --model NAME=DIR … [--model NAME=CKDIR@DIR …] [--real] --out PREDS.json
 *     HR/SDNN predictions of every model on the validation windows (testIdx of the dataset's
 *     split.json, at 1000 Hz) and, with --real, on pcg-real's fully annotated windows. NAME=DIR is a
 *     model folder; NAME=CKDIR@DIR a trainer checkpoint (ck-N) with DIR's architecture and
 *     preprocessing (the preprocessing its training fitted).
 *   node --import tsx scripts/pcg-cnn-ensemble.ts combine --preds PREDS.json [--floor FLOOR.json] \
 *       [--ensemble NAME+NAME+… …]
 *     MAE of every model and of the given ensembles (mean of their HR / SDNN predictions), overall,
 *     ≤ / > 130 bpm, and (with scripts/pcg-cnn-floor.ts's --json) by edge beat.
 *   node --import tsx scripts/pcg-cnn-ensemble.ts soup --ref DIR --model DIR[=WEIGHT] … \
 *       [--model CKDIR@DIR[=WEIGHT] …] --out DIR [--note TEXT]
 *     One model in the shipped format: the weighted mean of the models' weights, expressed in the
 *     reference's preprocessing. The models' input standardisation and target scaling may differ
 *     (a warm start refits them on its own data); both are linear and folded exactly into the first
 *     convolution (input × std_ref / std_m: the per-window dB has mean ≈ 0, so 'same' zero padding
 *     is unchanged) and into the two output layers (w·s_m / s_ref, (o_m − o_ref + s_m·b) / s_ref)
 *     before averaging. Only meaningful for models fine-tuned from one parent. --ref may be an
 *     averaged model folder: it lends its preprocessing (the models must be lone seed CNNs).
 *   node --import tsx scripts/pcg-cnn-ensemble.ts average --model DIR --model DIR … --out DIR \
 *       [--note TEXT]
 *     One model folder that averages the models' predictions (`averageSeedCnns`: the members side by
 *     side, their heads averaged) — an ensemble that `estimate --method cnn --model DIR` runs as one
 *     network. The members must share one preprocessing (fold a member into another's with a
 *     one-model `soup --ref`). A member that is itself such an average is flattened: its seed CNNs
 *     become members, so each seed CNN weighs the same (average --model models/cnn --model C with a
 *     two-member models/cnn weighs its members and C 1/3 each).
 *   node --import tsx scripts/pcg-cnn-ensemble.ts split --model DIR --out DIR
 *     The seed CNNs of an averaged model folder as lone model folders DIR/member-1 … (exact weights,
 *     the average's preprocessing), e.g. to score or fold against one member.
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { initNodeBackend } from '../src/node/backend.js';
import { loadModel, saveModel, type LoadedModel } from '../src/node/files/modelStore.js';
import { readDataset } from '../src/node/files/dataset.js';
import { readCheckpoint } from '../src/node/files/checkpoint.js';
import { cnnReadOptions, predictRecording } from '../src/model/inference.js';
import { averageSeedCnns, buildSeedCnn, seedCnnMembers } from '../src/model/architectures/seedCnn.js';
import { readAnnotatedWindows } from '../src/node/pipelines/annotatedWindowEval.js';
import { ModelTrainer } from '../src/model/training/train.js';
import { optionValue, runScript, sharedDataRoot } from './lib/cliArgs.js';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => optionValue(args, name);
const opts = (name: string): string[] => args.flatMap((a, i) => (a === `--${name}` ? [args[i + 1]!] : []));
const dataRoot = (): string => sharedDataRoot(args);

/** A model folder, or a checkpoint (CKDIR@DIR) loaded into DIR's architecture and preprocessing. */
async function load(spec: string): Promise<LoadedModel> {
  const [ck, dir] = spec.includes('@') ? spec.split('@') : [undefined, spec];
  const m = await loadModel(dir!);
  if (ck) {
    const c = readCheckpoint(ck);
    if (!c) throw new Error(`no checkpoint in ${ck}`);
    await new ModelTrainer(m.model).importState({ weights: c.state.weights, optimizer: [] });
  }
  return m;
}

interface Row {
  id: string;
  hrBpm: number;
  sdnnMs: number;
  pred: Record<string, [number, number]>; // [HR bpm, SDNN ms]
}

async function predictAll(): Promise<void> {
  const dataDir = opt('dataset') ?? '/tmp/cnnw/circor-h1';
  const out = opt('out');
  if (!out) throw new Error('--out is required');
  await initNodeBackend('auto');
  const ds = readDataset(dataDir);
  const split = JSON.parse(readFileSync(join(dataDir, 'split.json'), 'utf8')) as { testIdx: number[]; ids: string[] };
  const sets: Record<string, Array<{ id: string; x: Float32Array; rateHz: number; hrBpm: number; sdnnMs: number }>> = {
    'circor-val': split.testIdx.map((i) => ({
      id: split.ids[i]!,
      x: Float32Array.from(ds.signals.subarray(i * ds.nSamples, (i + 1) * ds.nSamples)),
      rateHz: ds.sampleRateHz,
      hrBpm: ds.labels.hrBpm[i]!,
      sdnnMs: ds.labels.hrvS[i]! * 1000,
    })),
  };
  if (args.includes('--real')) {
    sets['pcg-real'] = readAnnotatedWindows(join(dataRoot(), 'pcg-real')).map((w) => ({ id: `${w.recording}@${w.startS.toFixed(2)}`, x: w.samples, rateHz: w.sampleRateHz, hrBpm: w.hrBpm, sdnnMs: w.sdnnS * 1000 }));
  }
  const rows: Record<string, Row[]> = {};
  for (const [s, wins] of Object.entries(sets)) rows[s] = wins.map((w) => ({ id: w.id, hrBpm: w.hrBpm, sdnnMs: w.sdnnMs, pred: {} }));
  for (const spec of opts('model')) {
    const [name, path] = [spec.slice(0, spec.indexOf('=')), spec.slice(spec.indexOf('=') + 1)];
    const m = await load(path);
    const read = cnnReadOptions(m);
    for (const [s, wins] of Object.entries(sets)) {
      wins.forEach((w, i) => {
        const p = predictRecording(m.model, m.preprocess, w.x, w.rateHz, read);
        rows[s]![i]!.pred[name] = [p.heartRateBpm, p.hrvS * 1000];
      });
    }
    m.model.dispose();
    process.stderr.write(`predicted ${name}\n`);
  }
  writeFileSync(out, JSON.stringify(rows) + '\n');
}

function combine(): void {
  const rows = JSON.parse(readFileSync(opt('preds')!, 'utf8')) as Record<string, Row[]>;
  const floor = opt('floor') ? (JSON.parse(readFileSync(opt('floor')!, 'utf8')) as { windows: Record<string, Array<{ id: string; edge: boolean }>> }).windows : undefined;
  for (const [s, rs] of Object.entries(rows)) {
    const edgeOf = new Map((floor?.[s] ?? []).map((w) => [w.id, w.edge]));
    const names = Object.keys(rs[0]!.pred);
    const ens = opts('ensemble').filter((e) => e.split('+').every((n) => names.includes(n)));
    const predOf = (r: Row, n: string): [number, number] => {
      const parts = n.split('+').map((k) => r.pred[k]!);
      return [parts.reduce((a, p) => a + p[0], 0) / parts.length, parts.reduce((a, p) => a + p[1], 0) / parts.length];
    };
    const groups: Record<string, Row[]> = { all: rs, '≤130': rs.filter((r) => r.hrBpm <= 130), '>130': rs.filter((r) => r.hrBpm > 130) };
    if (floor) {
      groups['no edge beat'] = rs.filter((r) => edgeOf.get(r.id) === false);
      groups['edge beat'] = rs.filter((r) => edgeOf.get(r.id) === true);
    }
    process.stdout.write(`\n${s} (${rs.length} windows)\n`);
    process.stdout.write(`${'model'.padEnd(34)}${Object.entries(groups).map(([g, x]) => `${g} (${x.length})`.padStart(18)).join('')}  median  within5  sdnnMAE\n`);
    for (const n of [...names, ...ens]) {
      const mae = (x: Row[]): string => (x.length ? (x.reduce((a, r) => a + Math.abs(predOf(r, n)[0] - r.hrBpm), 0) / x.length).toFixed(2) : '—');
      const err = rs.map((r) => Math.abs(predOf(r, n)[0] - r.hrBpm)).sort((a, b) => a - b);
      const sd = rs.reduce((a, r) => a + Math.abs(predOf(r, n)[1] - r.sdnnMs), 0) / rs.length;
      process.stdout.write(`${n.padEnd(34)}${Object.values(groups).map((x) => mae(x).padStart(18)).join('')}  ${err[Math.floor(err.length / 2)]!.toFixed(2).padStart(6)}  ${((100 * err.filter((e) => e <= 5).length) / err.length).toFixed(1).padStart(6)}%  ${sd.toFixed(1).padStart(6)}\n`);
    }
  }
}

async function soup(): Promise<void> {
  const refDir = opt('ref');
  const out = opt('out');
  if (!refDir || !out) throw new Error('--ref DIR and --out DIR are required');
  await initNodeBackend('auto');
  const ref = await loadModel(refDir);
  // an averaged reference (averageSeedCnns) lends its preprocessing; the architecture is a lone seed CNN
  if (seedCnnMembers(ref.model).length > 1) {
    ref.model.dispose();
    const lone = await loneSeedCnnOf(ref, { scalingOf: `${refDir} (an average of seed CNNs)` });
    ref.model = lone.model;
    ref.bundle = lone.bundle;
  }
  const parts = opts('model').map((s) => {
    const eq = s.lastIndexOf('=');
    return eq > 0 && !Number.isNaN(Number(s.slice(eq + 1))) ? { spec: s.slice(0, eq), w: Number(s.slice(eq + 1)) } : { spec: s, w: 1 };
  });
  const wsum = parts.reduce((a, p) => a + p.w, 0);
  const names = ref.model.weights.map((v) => v.originalName ?? v.name);
  if (!names[0]!.includes('Conv2D') || !names.some((n) => n.startsWith('hr_output/')) || !names.some((n) => n.startsWith('hrv_output/'))) throw new Error(`unexpected weight names: ${names.join(', ')}`);
  const acc = ref.model.getWeights().map((t) => new Float64Array(t.size));
  const rp = ref.preprocess;
  for (const p of parts) {
    const m = await load(p.spec);
    const mp = m.preprocess;
    const inScale = rp.input.std / mp.input.std; // x_m = x_ref · std_ref / std_m
    if (Math.abs(rp.input.mean) > 1e-6 || Math.abs(mp.input.mean) > 1e-6 || rp.input.perWindow !== mp.input.perWindow) throw new Error(`${p.spec}: input folding needs per-window dB with mean ≈ 0`);
    if (m.model.weights.length !== names.length) throw new Error(`${p.spec}: ${m.model.weights.length} weight tensors, the reference has ${names.length} (an average? split it first)`);
    const ws = m.model.getWeights().map((t) => Float64Array.from(t.dataSync()));
    ws.forEach((w, i) => {
      const n = names[i]!;
      if (i === 0) for (let k = 0; k < w.length; k++) w[k]! *= inScale;
      for (const head of ['hr', 'hrv'] as const) {
        if (!n.startsWith(`${head}_output/`)) continue;
        const tr = rp.targets[head];
        const tm = mp.targets[head];
        if (n.endsWith('/kernel')) for (let k = 0; k < w.length; k++) w[k]! *= tm.scale / tr.scale;
        else for (let k = 0; k < w.length; k++) w[k] = (tm.offset - tr.offset + tm.scale * w[k]!) / tr.scale;
      }
      for (let k = 0; k < w.length; k++) acc[i]![k]! += (p.w / wsum) * w[k]!;
    });
    m.model.dispose();
  }
  const shapes = ref.model.getWeights().map((t) => t.shape);
  ref.model.setWeights(acc.map((a, i) => tf.tensor(Float32Array.from(a), shapes[i])));
  const bundle = { ...ref.bundle, training: { ...ref.bundle.training, soup: { models: parts.map((p) => `${p.spec}${p.w !== 1 ? `=${p.w}` : ''}`), note: opt('note') ?? null } } };
  await saveModel(ref.model as tfl.LayersModel, out, rp, bundle as typeof ref.bundle);
  if (existsSync(join(refDir, 'MODEL_CARD.md'))) cpSync(join(refDir, 'MODEL_CARD.md'), join(out, 'MODEL_CARD.md'));
  process.stdout.write(`soup of ${parts.length} models → ${out}\n`);
}

async function average(): Promise<void> {
  const out = opt('out');
  const specs = opts('model');
  if (!out || specs.length < 2) throw new Error('--out DIR and two or more --model DIR are required');
  await initNodeBackend('auto');
  const members = await Promise.all(specs.map((s) => load(s)));
  const pre = (m: LoadedModel): string => JSON.stringify({ input: m.preprocess.input, targets: m.preprocess.targets, shape: m.preprocess.inputShape });
  members.forEach((m, k) => {
    if (pre(m) !== pre(members[0]!)) throw new Error(`${specs[k]}: preprocessing differs from ${specs[0]}'s (fold it first: soup --ref ${specs[0]} --model ${specs[k]})`);
  });
  const model = averageSeedCnns(members.map((m) => m.model));
  const ref = members[0]!;
  const counts = members.map((m) => seedCnnMembers(m.model).length);
  // an averaged member's own `average` entry is kept (its members' descriptions), keyed by its folder
  const inner = Object.fromEntries(specs.flatMap((s, k) => (counts[k]! > 1 ? [[s, (members[k]!.bundle.training as Record<string, unknown> | undefined)?.average ?? null]] : [])));
  const average = { models: specs, seedCnns: counts, ...(Object.keys(inner).length ? { inner } : {}), note: opt('note') ?? null };
  const bundle = { ...ref.bundle, training: { ...ref.bundle.training, average } };
  await saveModel(model, out, ref.preprocess, bundle as typeof ref.bundle);
  process.stdout.write(`average of ${specs.length} models (${counts.reduce((a, c) => a + c, 0)} seed CNNs, ${counts.join(' + ')}) → ${out}\n`);
}

/**
 * A lone seed CNN (initial weights) for `m`'s input shape, with `m`'s bundle less its `average`
 * entry and with `training` extended by `extra`: the shape of one member of an averaged model.
 */
async function loneSeedCnnOf(m: LoadedModel, extra: Record<string, unknown>): Promise<{ model: tfl.LayersModel; bundle: LoadedModel['bundle'] }> {
  const model = buildSeedCnn(m.preprocess.inputShape as [number, number, number], { seed: 42 });
  const { average: _average, ...training } = (m.bundle.training ?? {}) as Record<string, unknown>;
  return { model, bundle: { ...m.bundle, training: { ...training, ...extra } } as LoadedModel['bundle'] };
}

async function split(): Promise<void> {
  const dir = opt('model');
  const out = opt('out');
  if (!dir || !out) throw new Error('--model DIR and --out DIR are required');
  await initNodeBackend('auto');
  const m = await loadModel(dir);
  const found = seedCnnMembers(m.model);
  if (found.length < 2) throw new Error(`${dir} is not an average of seed CNNs`);
  for (const [k, layers] of found.entries()) {
    const one = await loneSeedCnnOf(m, { member: { of: dir, index: k + 1, count: found.length } });
    one.model.setWeights(layers.flatMap((l) => l.getWeights()));
    await saveModel(one.model, join(out, `member-${k + 1}`), m.preprocess, one.bundle);
  }
  process.stdout.write(`${found.length} seed CNNs of ${dir} → ${out}/member-1 … member-${found.length}\n`);
}

await runScript('pcg-cnn-ensemble', async () => {
  if (args[0] === 'predict') await predictAll();
  else if (args[0] === 'combine') combine();
  else if (args[0] === 'soup') await soup();
  else if (args[0] === 'average') await average();
  else if (args[0] === 'split') await split();
  else throw new Error('usage: pcg-cnn-ensemble.ts predict|combine|soup|average|split …');
});
