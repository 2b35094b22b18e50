export { packageVersion } from '../node/files/packageVersion.js';
