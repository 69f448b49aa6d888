/**
 * gitfed as a library: render and apply are functions, not only commands.
 *
 *   import { renderFleet, readWorkingTree, publish, apply } from 'gitfed';
 *   const result = renderFleet(await readWorkingTree('fleet'));
 *   await publish({ repo: 'fleet' });                       // render HEAD into the output branches
 *   await apply.applyBranch({ repo: 'fleet', ... });        // reconcile the members
 */
export * from './errors.js';
export * from './render/types.js';
export { VERSION } from './version.js';

export { renderFleet, type RenderResult, type RenderCaches } from './render/render.js';
export { readWorkingTree } from './workspace/source.js';
export { isExcluded, isFleetPath } from './render/fleet-paths.js';
export { parseConfig as parseFleetConfig, DEFAULT_CONFIG as DEFAULT_FLEET_CONFIG, CONFIG_FILE } from './render/config.js';
export { decodeFleetFile, loadFile, ParseCache, KUBE_YAML_SCHEMA } from './render/load.js';
export { emitBranches, toYaml, YamlCache } from './render/emit.js';
export { diffOutputs, maskSecrets, type FleetDiff, type ClusterDiff, type ObjectChange } from './render/diff.js';
export { formatDiff, type DiffFormat } from './format/diff.js';
export { findExplanations } from './render/explain.js';
export { formatExplanation, formatExplanations } from './format/explain.js';
export { watchFleet, type FleetWatcher, type WatchOptions, type WatchUpdate } from './workspace/watch.js';
export { publish, renderAt, type PublishOptions, type PublishResult } from './publish.js';
export * from './git/index.js';

/** The apply side (`gitfed apply`, `daemon`, `status`, `diff --live`). */
export * as apply from './apply/index.js';
/** Local member control planes (`gitfed dev`). */
export * as dev from './dev/index.js';
/** The kubefedctl verbs on the fleet repo (`gitfed join`, `federate`, …). */
export * as fleet from './fleet/index.js';
