/**
 * @module fleet/errors
 * The one error class of the fleet-repo verbs (join, unjoin, enable, disable, federate,
 * orphaning-deletion). A GitfedError, so the CLI prints `file:line: object: message` and exits 2.
 */
import { GitfedError } from '../errors.js';

export class FleetError extends GitfedError {}
