/**
 * @module git/layout
 * The names of the output branch contract that readers and writers share: the default branch,
 * the metadata file at its root and its schema. Imports nothing, so render's config can name the
 * default branch without reaching into the git layer.
 */

/** The output branch when gitfed.yaml names none, and the branch `apply`, `daemon` and `diff --live` read. */
export const DEFAULT_BRANCH = 'rendered';
/** Where each cluster's directory goes when gitfed.yaml names no template. */
export const DEFAULT_CLUSTER_DIR = 'clusters/{cluster}';
export const METADATA_FILE = 'gitfed.metadata';
export const ATTRIBUTES_FILE = '.gitattributes';
/**
 * The newest metadata schema, the one a branch carrying a rollout is written with: 2 adds
 * `rollout` (the waves). A branch without one is still written as schema 1, byte for byte as
 * before, so an older gitfed reads it; an older gitfed refuses a schema 2 branch rather than
 * roll it out to every member at once. Any other schema is refused, never guessed at.
 */
export const METADATA_SCHEMA = 2;
/** The schema of a branch that carries no rollout. */
export const METADATA_SCHEMA_PLAIN = 1;
