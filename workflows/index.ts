// Everything the worker's workflow bundle exports.
export { pipeline } from './pipeline';
export { scheduledPipeline } from './scheduled';
