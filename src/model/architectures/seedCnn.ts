/**
 * The seed notebook's CNN, layer for layer:
 * Input 129×38×1 → [Conv2D(32|64|128|128, 3×3, relu, same) → MaxPool 2×2] ×4 → Flatten →
 * Dense 256 relu → Dropout 0.5 → Dense 128 relu → Dropout 0.5 → heads `hr_output` (Dense 1,
 * linear) and `hrv_output` (Dense 1, relu). 797,954 parameters for the 129×38×1 input.
 */
import * as tfl from '@tensorflow/tfjs-layers';

/** Options of {@link buildSeedCnn}. */
export interface SeedCnnOptions {
  /**
   * Seed of the weight initialisers (Glorot-uniform kernels, zero biases, as in Keras). Each layer
   * gets `seed + layerIndex`. Default: unseeded (Math.random).
   */
  seed?: number;
}

/** Names of the two output heads (as in the seed's Keras model). */
export const HEAD_NAMES = ['hr_output', 'hrv_output'] as const;

/** Parameter count of the seed model for its 129×38×1 input. */
export const SEED_PARAMS = 797_954;

/** Layer names of one seed CNN's two heads. */
interface HeadNames {
  hr: string;
  hrv: string;
}

/**
 * The seed's layers from `input` to its two heads, in the seed's order (the initialisers take
 * their seeds in that order). Returns the head tensors and the layers that hold weights, in
 * creation order (the order of `LayersModel.getWeights()` for a lone seed CNN).
 */
function seedCnnBranch(input: tfl.SymbolicTensor, init: () => ReturnType<typeof tfl.initializers.glorotUniform>, heads: HeadNames) {
  const weighted: tfl.layers.Layer[] = [];
  const add = <L extends tfl.layers.Layer>(layer: L, hasWeights: boolean): L => {
    if (hasWeights) weighted.push(layer);
    return layer;
  };
  let x = input;
  for (const filters of [32, 64, 128, 128]) {
    x = add(tfl.layers.conv2d({ filters, kernelSize: 3, activation: 'relu', padding: 'same', kernelInitializer: init() }), true).apply(x) as tfl.SymbolicTensor;
    x = tfl.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tfl.SymbolicTensor;
  }
  x = tfl.layers.flatten().apply(x) as tfl.SymbolicTensor;
  x = add(tfl.layers.dense({ units: 256, activation: 'relu', kernelInitializer: init() }), true).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.dropout({ rate: 0.5 }).apply(x) as tfl.SymbolicTensor;
  x = add(tfl.layers.dense({ units: 128, activation: 'relu', kernelInitializer: init() }), true).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.dropout({ rate: 0.5 }).apply(x) as tfl.SymbolicTensor;
  const hr = add(tfl.layers.dense({ units: 1, name: heads.hr, kernelInitializer: init() }), true).apply(x) as tfl.SymbolicTensor;
  const hrv = add(tfl.layers.dense({ units: 1, activation: 'relu', name: heads.hrv, kernelInitializer: init() }), true).apply(x) as tfl.SymbolicTensor;
  return { hr, hrv, weighted };
}

function seededInit(seed: number | undefined) {
  let layerIndex = 0;
  return () => tfl.initializers.glorotUniform({ seed: seed === undefined ? undefined : seed + layerIndex++ });
}

/**
 * Build the seed's CNN (not compiled: training uses {@link train}).
 * @param inputShape [frequency bins, time frames, channels]; the seed's spectrograms give [129, 38, 1]
 */
export function buildSeedCnn(inputShape: [number, number, number] = [129, 38, 1], options: SeedCnnOptions = {}): tfl.LayersModel {
  const input = tfl.input({ shape: inputShape, name: 'spectrogram' });
  const { hr, hrv } = seedCnnBranch(input, seededInit(options.seed), { hr: HEAD_NAMES[0], hrv: HEAD_NAMES[1] });
  return tfl.model({ inputs: input, outputs: [hr, hrv], name: 'seed_cnn' });
}

/** The layer feeding `layer` (its first inbound node's first inbound layer), or undefined at the input. */
function parentLayer(layer: tfl.layers.Layer): tfl.layers.Layer | undefined {
  return layer.inboundNodes[0]?.inboundLayers[0];
}

/**
 * The layers holding weights of each seed CNN in `model`, each list in the seed's order (4 convs,
 * 2 dense, `hr` head, `hrv` head): one list for a lone seed CNN, one per member for an average made
 * by {@link averageSeedCnns} (found by walking back from the averaged heads, so the order of
 * `model.layers` does not matter). Other models give their weighted layers as one list, which
 * {@link averageSeedCnns} then refuses by its length.
 */
export function seedCnnMembers(model: tfl.LayersModel): tfl.layers.Layer[][] {
  const hrOut = model.layers.find((l) => l.name === HEAD_NAMES[0]);
  const hrvOut = model.layers.find((l) => l.name === HEAD_NAMES[1]);
  if (hrOut?.getClassName() !== 'Average' || hrvOut?.getClassName() !== 'Average') return [model.layers.filter((l) => l.getWeights().length > 0)];
  const hrs = hrOut.inboundNodes[0]!.inboundLayers;
  const hrvs = hrvOut.inboundNodes[0]!.inboundLayers;
  if (hrs.length !== hrvs.length) throw new RangeError(`an average with ${hrs.length} HR heads and ${hrvs.length} HRV heads`);
  return hrs.map((hr, k) => {
    const trunk = parentLayer(hr);
    if (!trunk || parentLayer(hrvs[k]!) !== trunk) throw new RangeError(`average member ${k + 1}: its two heads do not share one trunk`);
    const weighted: tfl.layers.Layer[] = [];
    for (let l: tfl.layers.Layer | undefined = trunk; l; l = parentLayer(l)) if (l.getWeights().length > 0) weighted.unshift(l);
    return [...weighted, hr, hrvs[k]!];
  });
}

/**
 * One model that averages several trained seed CNNs (an ensemble, for inference): the members
 * share the input, each keeps the seed's layers and weights, and the heads `hr_output` and
 * `hrv_output` are the means of the members' heads. The members must share one preprocessing
 * (input standardisation and target scaling), so that the mean of their scaled outputs is the
 * mean of their predictions. Saved and loaded like any model; it is not meant to be trained.
 * A member that is itself such an average is flattened: its seed CNNs become members, so that
 * every seed CNN weighs the same (an average of A+B and C weighs A, B and C 1/3 each).
 * @param members seed CNNs (from {@link buildSeedCnn} or loaded) or averages of them, all with the same input shape
 */
export function averageSeedCnns(members: readonly tfl.LayersModel[]): tfl.LayersModel {
  if (members.length < 2) throw new RangeError('an average needs at least two seed CNNs');
  const shape = members[0]!.inputs[0]!.shape.slice(1) as number[];
  const input = tfl.input({ shape, name: 'spectrogram' });
  const sources = members.flatMap((m, k) => {
    if (m.inputs[0]!.shape.slice(1).join() !== shape.join()) throw new RangeError(`member ${k + 1}: input shape differs from member 1's`);
    return seedCnnMembers(m).map((layers) => ({ layers, k }));
  });
  const heads = sources.map(({ layers: source, k }, j) => {
    const branch = seedCnnBranch(input, seededInit(0), { hr: `member${j + 1}_hr`, hrv: `member${j + 1}_hrv` });
    if (source.length !== branch.weighted.length) throw new RangeError(`member ${k + 1} is not a seed CNN (${source.length} layers with weights, expected ${branch.weighted.length})`);
    branch.weighted.forEach((layer, i) => layer.setWeights(source[i]!.getWeights()));
    return branch;
  });
  const hr = tfl.layers.average({ name: HEAD_NAMES[0] }).apply(heads.map((h) => h.hr)) as tfl.SymbolicTensor;
  const hrv = tfl.layers.average({ name: HEAD_NAMES[1] }).apply(heads.map((h) => h.hrv)) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: [hr, hrv], name: 'seed_cnn_average' });
}

/** The Keras-style summary table of a model, as text. */
export function modelSummary(model: tfl.LayersModel, lineLength = 98): string {
  const lines: string[] = [];
  model.summary(lineLength, undefined, (msg?: unknown) => lines.push(String(msg ?? '')));
  return lines.join('\n');
}
