/** The kubefedctl verbs as functions: they edit the fleet repo, never a cluster. */
export { join, clusterDocument, type JoinOptions, type JoinResult, type ClusterSpec } from './join.js';
export { unjoin, type UnjoinOptions, type UnjoinResult } from './unjoin.js';
export { enable, resolveType, type EnableOptions, type EnableResult } from './enable.js';
export { disable, type DisableOptions, type DisableResult } from './disable.js';
export { federate, federateText, typeLookup, type FederateOptions, type FederateResult } from './federate.js';
export { orphaning, parseQuery, ORPHAN_ANNOTATION, type OrphaningOptions, type OrphaningResult } from './orphaning.js';
export { clusterReferences, type ClusterReference } from './references.js';
export { FleetError } from './errors.js';
