/** HRV measures from RR intervals (browser-safe): time domain today; issue 17 adds frequency and non-linear measures here. */
export * from './timeDomain.js';
