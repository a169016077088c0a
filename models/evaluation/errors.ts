// Errors of the evaluation code itself. models/ knows nothing of activities or Temporal: the
// training activities map these to non-retryable failures (activities/training/model-errors.ts).
export class SplitError extends Error {
  constructor(message: string, readonly code: 'InvalidInput' | 'TooFewSamples', readonly details?: unknown) {
    super(message);
    this.name = 'SplitError';
  }
}
