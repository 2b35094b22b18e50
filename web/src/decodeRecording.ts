/**
 * Open a recording in the page: WAV through the library's codec, anything else the browser can
 * decode (MP3, OGG/Opus, FLAC, M4A/AAC) through Web Audio's decodeAudioData, mixed to mono.
 */
import { decodeWav } from './wavCodec.js';

export interface DecodedRecording {
  name: string;
  /** Mono samples, full scale ±1. */
  samples: Float32Array;
  sampleRateHz: number;
  channels: number;
  format: string;
  durationS: number;
}

function isWav(bytes: Uint8Array): boolean {
  const tag = String.fromCharCode(...bytes.subarray(0, 4));
  return bytes.length >= 12 && (tag === 'RIFF' || tag === 'RF64' || tag === 'BW64') && String.fromCharCode(...bytes.subarray(8, 12)) === 'WAVE';
}

/** Average the channels of an AudioBuffer. */
function toMono(buffer: AudioBuffer): Float32Array {
  const out = new Float32Array(buffer.length);
  for (let c = 0; c < buffer.numberOfChannels; c++) {
    const ch = buffer.getChannelData(c);
    for (let i = 0; i < out.length; i++) out[i]! += ch[i]!;
  }
  const inv = 1 / buffer.numberOfChannels;
  for (let i = 0; i < out.length; i++) out[i]! *= inv;
  return out;
}

/** Decode a dropped or picked file. Throws an Error with a one-line message. */
export async function decodeRecording(name: string, data: ArrayBuffer): Promise<DecodedRecording> {
  const bytes = new Uint8Array(data);
  if (bytes.length === 0) throw new Error(`${name} is empty`);
  if (isWav(bytes)) {
    const wav = decodeWav(bytes);
    return { name, samples: wav.samples, sampleRateHz: wav.sampleRateHz, channels: wav.channels, format: wav.format, durationS: wav.durationS };
  }
  const ctx = new OfflineAudioContext(1, 1, 44100);
  let buffer: AudioBuffer;
  try {
    buffer = await ctx.decodeAudioData(data.slice(0));
  } catch {
    throw new Error(`${name}: this browser cannot decode the file (not WAV, and decodeAudioData failed)`);
  }
  return {
    name,
    samples: toMono(buffer),
    sampleRateHz: buffer.sampleRate,
    channels: buffer.numberOfChannels,
    format: `decoded by the browser (${name.split('.').pop() ?? 'audio'})`,
    durationS: buffer.duration,
  };
}
