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

/**
 * Build the seed's CNN (not compiled: training uses {@link train}).
 * @param inputShape [frequency bins, time frames, channels]; the seed's spectrograms give [129, 38, 1]
 */
export function buildSeedCnn(inputShape: [number, number, number] = [129, 38, 1], options: SeedCnnOptions = {}): tfl.LayersModel {
  let layerIndex = 0;
  const init = () => {
    const s = options.seed === undefined ? undefined : options.seed + layerIndex++;
    return tfl.initializers.glorotUniform({ seed: s });
  };
  const input = tfl.input({ shape: inputShape, name: 'spectrogram' });
  let x = input as tfl.SymbolicTensor;
  for (const filters of [32, 64, 128, 128]) {
    x = tfl.layers.conv2d({ filters, kernelSize: 3, activation: 'relu', padding: 'same', kernelInitializer: init() }).apply(x) as tfl.SymbolicTensor;
    x = tfl.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tfl.SymbolicTensor;
  }
  x = tfl.layers.flatten().apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.dense({ units: 256, activation: 'relu', kernelInitializer: init() }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.dropout({ rate: 0.5 }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.dense({ units: 128, activation: 'relu', kernelInitializer: init() }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.dropout({ rate: 0.5 }).apply(x) as tfl.SymbolicTensor;
  const hr = tfl.layers.dense({ units: 1, name: 'hr_output', kernelInitializer: init() }).apply(x) as tfl.SymbolicTensor;
  const hrv = tfl.layers.dense({ units: 1, activation: 'relu', name: 'hrv_output', kernelInitializer: init() }).apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: [hr, hrv], name: 'seed_cnn' });
}

/** The Keras-style summary table of a model, as text. */
export function modelSummary(model: tfl.LayersModel, lineLength = 98): string {
  const lines: string[] = [];
  model.summary(lineLength, undefined, (msg?: unknown) => lines.push(String(msg ?? '')));
  return lines.join('\n');
}
