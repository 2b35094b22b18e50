/**
 * NumPy `.npy` files (format 1.0; reading also 2.0/3.0): float32, float64 and int32, C order,
 * little-endian. Written with our own small encoder (npyjs's writer cannot be relied on to
 * keep float64 as float64); read through npyjs's parser, with checks on top.
 */
import { readFileSync } from 'node:fs';
import { parse as npyjsParse } from 'npyjs';
import { writeFileAtomic } from './atomicWrite.js';

/** Array types stored in .npy files by hrv-audio. */
export type NpyData = Float32Array | Float64Array | Int32Array;
/** NumPy dtype descriptors we read and write. */
export type NpyDtype = '<f4' | '<f8' | '<i4';

/** A decoded .npy array. */
export interface NpyArray {
  data: NpyData;
  shape: number[];
  dtype: NpyDtype;
}

function dtypeOf(data: NpyData): NpyDtype {
  if (data instanceof Float32Array) return '<f4';
  if (data instanceof Float64Array) return '<f8';
  if (data instanceof Int32Array) return '<i4';
  throw new TypeError('npy: data must be a Float32Array, Float64Array or Int32Array');
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Encode `data` with `shape` (C order) as the bytes of a version-1.0 .npy file, header padded so
 * that the data starts at a multiple of 64 bytes (as numpy writes it).
 */
export function encodeNpy(data: NpyData, shape: readonly number[]): Uint8Array {
  const dtype = dtypeOf(data);
  for (const d of shape) if (!Number.isInteger(d) || d < 0) throw new RangeError(`npy: bad shape [${shape.join(', ')}]`);
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new RangeError(`npy: shape [${shape.join(', ')}] holds ${count} values, data has ${data.length}`);
  const shapeStr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  const preamble = 10; // magic (6) + version (2) + header length (2)
  const total = Math.ceil((preamble + header.length + 1) / 64) * 64;
  header = header.padEnd(total - preamble - 1, ' ') + '\n';
  if (header.length > 0xffff) throw new RangeError('npy: header too long');
  const out = new Uint8Array(total + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0); // \x93NUMPY v1.0
  out[8] = header.length & 0xff;
  out[9] = header.length >>> 8;
  for (let i = 0; i < header.length; i++) out[preamble + i] = header.charCodeAt(i);
  if (LITTLE_ENDIAN) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), total);
  } else {
    const view = new DataView(out.buffer, total);
    const size = data.BYTES_PER_ELEMENT;
    for (let i = 0; i < data.length; i++) {
      if (dtype === '<f4') view.setFloat32(i * size, data[i], true);
      else if (dtype === '<f8') view.setFloat64(i * size, data[i], true);
      else view.setInt32(i * size, data[i], true);
    }
  }
  return out;
}

/** Decode .npy bytes (float32, float64 or int32; C order). Throws Error on anything else. */
export function decodeNpy(bytes: Uint8Array): NpyArray {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) throw new Error('not a .npy file (bad magic)');
  // npyjs needs an ArrayBuffer of its own (the data view must be aligned).
  const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const parsed = npyjsParse(buf);
  let data: NpyData;
  let dtype: NpyDtype;
  if (parsed.dtype === 'f4' && parsed.data instanceof Float32Array) {
    data = parsed.data;
    dtype = '<f4';
  } else if (parsed.dtype === 'f8' && parsed.data instanceof Float64Array) {
    data = parsed.data;
    dtype = '<f8';
  } else if (parsed.dtype === 'i4' && parsed.data instanceof Int32Array) {
    data = parsed.data;
    dtype = '<i4';
  } else {
    throw new Error(`unsupported .npy dtype '${parsed.dtype}' (expected float32, float64 or int32)`);
  }
  const shape = parsed.shape.map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new Error(`.npy file is truncated: shape [${shape.join(', ')}] needs ${count} values, found ${data.length}`);
  if (parsed.fortranOrder && shape.length > 1) data = fortranToC(data, shape);
  return { data, shape, dtype };
}

/** Reorder a column-major (Fortran) array of `shape` into row-major (C) order. */
function fortranToC<T extends NpyData>(src: T, shape: readonly number[]): T {
  const dst = new (src.constructor as { new (n: number): T })(src.length);
  const nd = shape.length;
  const fStride = new Array<number>(nd);
  fStride[0] = 1;
  for (let d = 1; d < nd; d++) fStride[d] = fStride[d - 1] * shape[d - 1];
  const idx = new Array<number>(nd).fill(0);
  for (let c = 0; c < dst.length; c++) {
    let f = 0;
    for (let d = 0; d < nd; d++) f += idx[d] * fStride[d];
    dst[c] = src[f];
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return dst;
}

/** Write `data` (C order, `shape`) to `path` atomically as a .npy file. */
export function writeNpy(path: string, data: NpyData, shape: readonly number[]): void {
  writeFileAtomic(path, encodeNpy(data, shape));
}

/** Read a .npy file (float32, float64 or int32; C order). */
export function readNpy(path: string): NpyArray {
  return decodeNpy(readFileSync(path));
}
