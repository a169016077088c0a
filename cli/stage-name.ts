// Checks a stage id typed on the command line against the run's stages.
import { withSuggestion } from '../dsl/suggest';

export function checkStageName(stage: string, stages: string[], workflowId: string): void {
  if (!stages.includes(stage)) throw new Error(`${withSuggestion(`run ${workflowId} has no stage '${stage}'`, stage, stages)} Its stages: ${stages.join(', ')}`);
}
