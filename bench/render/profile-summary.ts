/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and prints where the time went: by function (self),
 * by file (self) and, for gitfed's own code, inclusive time per function.
 *
 *   node dist/bench/render/profile-summary.js PROFILE.cpuprofile [TOP]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: profile-summary.js PROFILE.cpuprofile [TOP]\n');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const sampled = new Map<number, number>();
profile.samples.forEach((id, i) => sampled.set(id, (sampled.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Paths are shown relative to the repo (dist/...) or node_modules, so the lines stay short.
function where(url: string): string {
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) return url.slice(nm + '/node_modules/'.length);
  const dist = url.lastIndexOf('/dist/');
  return dist >= 0 ? url.slice(dist + 1) : url.replace(/^file:\/\//, '');
}
const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

const self = new Map<string, number>();
const perFile = new Map<string, number>();
const inclusive = new Map<string, number>();
let total = 0;
const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
for (const n of profile.nodes) {
  const ms = sampled.get(n.id) ?? 0;
  if (ms === 0) continue;
  total += ms;
  add(self, label(n), ms);
  add(perFile, where(n.callFrame.url) || n.callFrame.functionName, ms);
  // Each function counts once per sample even when it recurses.
  const seen = new Set<string>();
  for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
    const l = label(byId.get(id)!);
    if (!seen.has(l)) add(inclusive, l, ms);
    seen.add(l);
  }
}

function print(title: string, m: Map<string, number>, filter: (k: string) => boolean = () => true): void {
  process.stdout.write(`\n${title}\n`);
  for (const [k, ms] of [...m].filter(([k]) => filter(k)).sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`${ms.toFixed(0).padStart(8)} ms ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${k}\n`);
  }
}

process.stdout.write(`${file}: ${total.toFixed(0)} ms sampled\n`);
print('self time by function', self);
print('self time by file', perFile);
print("inclusive time, gitfed's code", inclusive, (k) => / dist\/(src|cmd)\//.test(k));
