/** Local member control planes (`gitfed dev`): real etcd, kube-apiserver and controllers on loopback. */
export { up, memberNames, parseNames, type UpOptions } from './up.js';
export { down, stopSet, type DownResult } from './down.js';
export { status, setStatus, type MemberStatus, type ComponentStatus } from './status.js';
export { findBinaries, cacheBinDir, cacheKey, type Binaries, type BinaryName } from './binaries.js';
export { readState, stateDirFor, listStates, allProcesses, type DevState, type MemberState } from './state.js';
export { killNow } from './processes.js';
export type { FleetKind } from './fleet.js';
