/**
 * @module git
 * gitfed's git layer: read the fleet repo at a revision, commit rendered output to branches by
 * compare-and-swap, publish them. The only importer of isomorphic-git.
 */
export { readSourceAt, resolveRevision, type ReadSourceOptions, type SourceSnapshot, type PathFilter } from './source.js';
export {
  commitOutputs, GITFED_EMAIL, GITFED_NAME,
  type BranchResult, type CommitOutputsOptions, type CommitOutputsResult, type CommitSource, type CommitStage,
} from './commit-outputs.js';
export {
  ATTRIBUTES_FILE, GITATTRIBUTES, METADATA_FILE, branchFiles, branchMetadata, metadataContent, parseMetadata,
  type BranchMetadata, type ClusterRecord, type SourceRef,
} from './metadata.js';
export { NOTES_REF, SOURCE_TRAILER, REPO_TRAILER, noteContent, sourceOfNote } from './notes.js';
export { fetchOutputs, type FetchedRef, type FetchOutputsOptions, type FetchStatus } from './fetch.js';
export { readBranchState, type BranchState } from './branch-state.js';
export { pushOutputs, type PushOutputsOptions, type PushOutputsResult, type PushedRef, type PushStatus } from './push.js';
export { readRef } from './refs.js';
export { updateRefs, type RefUpdate, type UpdateRefsOptions } from './ref-transaction.js';
export { recoverRefUpdates } from './ref-journal.js';
export { publicUrl, scrubSecrets } from './public-url.js';
export { checkPushTarget } from './remote.js';
export { openRepo, type Repo } from './repo.js';
