// Errors an activity throws when retrying cannot help (bad input, a ban, an exchange rejection).
// The Temporal adapter turns them into non-retryable ApplicationFailures whose `type` is `code`,
// so a run fails at once with the message instead of crash-looping.
export class NonRetryableError extends Error {
  constructor(message: string, readonly code: string = 'NonRetryable', readonly details?: unknown) {
    super(message);
    this.name = code;
  }
}

/** Bad stage input that passed the DSL's schema check but is still unusable (e.g. from > to). */
export class InvalidInputError extends NonRetryableError {
  constructor(message: string, details?: unknown) {
    super(message, 'InvalidInput', details);
  }
}
