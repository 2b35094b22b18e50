export * from './fft.js';
export * from './windows.js';
export * from './spectrogram.js';
export * from './resample.js';
