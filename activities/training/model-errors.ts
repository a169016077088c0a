// Where models/ errors become activity errors: a split that cannot be made is bad input for the
// stage (too few samples, a bad fold count), so retrying cannot help.
import { SplitError } from '../../models/evaluation/errors';
import { NonRetryableError } from '../errors';

export function asActivityError(err: unknown): unknown {
  if (err instanceof SplitError) return new NonRetryableError(err.message, err.code, err.details);
  return err;
}

/** Runs fn, mapping model errors to activity errors. */
export function mapModelErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw asActivityError(err);
  }
}
