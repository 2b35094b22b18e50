export { packageVersion } from '../io/packageVersion.js';
