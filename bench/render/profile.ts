/**
 * Renders one fleet directory a few times, for a CPU profile of the render alone:
 *
 *   node dist/bench/render/generate.js --clusters 100 --objects 1000 --out /tmp/fleet
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/bench/render/profile.js /tmp/fleet/fleet 3
 *   node dist/bench/render/profile-summary.js /tmp/prof/*.cpuprofile
 */
import { renderFleet } from '../../src/render/render.js';
import { readWorkingTree } from '../../src/workspace/source.js';

const [dir, runsArg] = process.argv.slice(2);
if (!dir) {
  process.stderr.write('usage: profile.js FLEET_DIR [RUNS]\n');
  process.exit(2);
}
const runs = Number(runsArg ?? 3);
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  const result = renderFleet(await readWorkingTree(dir));
  process.stderr.write(`run ${i + 1}/${runs}: ${(performance.now() - t).toFixed(0)} ms, ${result.rendered.length} objects\n`);
}
