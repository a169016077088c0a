// The WorkflowFailedError a run's result rejects with (the test fails if it resolves).
import { expect } from 'vitest';
import { WorkflowFailedError } from '@temporalio/client';

export async function failureOf(p: Promise<unknown>): Promise<WorkflowFailedError> {
  const err = await p.then(() => undefined, (e) => e);
  expect(err).toBeInstanceOf(WorkflowFailedError);
  return err as WorkflowFailedError;
}
