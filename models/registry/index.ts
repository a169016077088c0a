export { modelRoot, stagingDir, versionName, versionNumber, newRunId, VERSION_RE } from './layout';
export { listVersions, claimVersion } from './versions';
export { readLatest, pointLatest, LATEST } from './latest';
export { pruneVersions, pruneStaging } from './retention';
export { codeVersion } from './code-version';
export { loadPublished, type LoadedModel } from './load';
