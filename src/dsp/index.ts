export * from './fft.js';
export * from './windows.js';
export * from './spectrogram.js';
