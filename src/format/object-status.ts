/**
 * @module format/object-status
 * `gitfed status Federated<Kind>/NS/NAME` for people (a table) and machines (JSON or YAML in the
 * shape KubeFed writes to `.status`, so a script reading `.status.conditions[0].reason` reads
 * gitfed's as it read upstream's). The table names upstream's empty values, AggregateSuccess and
 * OK (ClusterPropagationOK), rather than leaving a blank.
 */
import yaml from 'js-yaml';
import type { FederatedObjectStatus } from '../apply/status/object-status.js';
import { textTable } from './table.js';

export type ObjectStatusFormat = 'table' | 'json' | 'yaml';

export function formatObjectStatus(s: FederatedObjectStatus, format: ObjectStatusFormat): string {
  if (format === 'json') return JSON.stringify(s, null, 2) + '\n';
  if (format === 'yaml') return yaml.dump(s, { noRefs: true, lineWidth: -1 });
  const c = s.status.conditions[0];
  const head = `${s.object}\nPropagation: ${c.status} (${c.reason ?? 'AggregateSuccess'})${s.reportedAt ? `, from the report of ${s.reportedAt}` : ''}\n`;
  if (s.status.clusters.length === 0) return `${head}\nplaced on no cluster\n`;
  const rows = s.status.clusters.map((x) => [x.name, x.status ?? 'OK', x.object, x.message ?? '']);
  return `${head}\n${textTable(['CLUSTER', 'STATUS', 'OBJECT', 'MESSAGE'], rows)}\n`;
}
