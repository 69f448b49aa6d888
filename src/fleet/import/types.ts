/** @module fleet/import/types What a reader of a live control plane hands the writer. */
import type { KubeObject } from '../../object.js';

export interface Skipped {
  /** `Kind/namespace/name`, as formatRef prints it. */
  readonly object: string;
  readonly reason: string;
}

export interface ImportRead {
  readonly objects: readonly KubeObject[];
  readonly skipped: readonly Skipped[];
  /** What was imported but changed on the way, and what the user must do about it. */
  readonly notes: readonly string[];
}
