// Checks a stage id typed on the command line against the run's stages.
import { didYouMean } from '../dsl/suggest';

export function checkStageName(stage: string, stages: string[], workflowId: string): void {
  if (!stages.includes(stage)) {
    throw new Error(`run ${workflowId} has no stage '${stage}'.${didYouMean(stage, stages)} Its stages: ${stages.join(', ')}`);
  }
}
