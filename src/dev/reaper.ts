/**
 * A watchdog for members started by a test run: a detached process that stops the set when the
 * owner process is gone, however it went (Ctrl-C, a crash, SIGKILL), and quits by itself once
 * the set is stopped normally (its state file removed). It is an inline script rather than a
 * module so it runs under plain node whether gitfed runs from dist/ or from TypeScript sources.
 */
import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import type { ProcessRecord } from './processes.js';

const SCRIPT = `
const fs = require('fs'), path = require('path'), crypto = require('crypto');
const owner = Number(process.argv[1]), dir = process.argv[2], file = path.join(dir, 'state.json');
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const sig = (p, s) => { try { process.kill(-p.pid, s); } catch { try { process.kill(p.pid, s); } catch {} } };
const tick = setInterval(() => {
  if (!fs.existsSync(file)) process.exit(0);
  if (alive(owner)) return;
  clearInterval(tick);
  let s;
  try { s = JSON.parse(fs.readFileSync(file, 'utf8')); } catch { process.exit(0); }
  const procs = s.members.flatMap((m) => m.processes);
  // The order of down: clients, then apiservers (they drain open watches), then etcd.
  const phases = [procs.filter((p) => p.role !== 'kube-apiserver'), procs.filter((p) => p.role === 'kube-apiserver'), s.etcd ? [s.etcd.process] : []];
  const all = phases.flat();
  phases.forEach((phase, i) => setTimeout(() => phase.forEach((p) => sig(p, 'SIGTERM')), i * 1500));
  setTimeout(() => {
    all.forEach((p) => sig(p, 'SIGKILL'));
    try {
      const kc = fs.readFileSync(s.kubeconfig);
      if (crypto.createHash('sha256').update(kc).digest('hex') === s.kubeconfigSha256) fs.rmSync(s.kubeconfig);
    } catch {}
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }, 6000);
}, 500);
`;

export function startReaper(ownerPid: number, stateDir: string): ProcessRecord {
  const child = spawn(process.execPath, ['-e', SCRIPT, String(ownerPid), stateDir], { detached: true, stdio: 'ignore' });
  if (child.pid === undefined) throw new Error('could not start the reaper');
  child.unref();
  child.on('error', () => {});
  return { role: 'reaper', pid: child.pid, bin: realpathSync(process.execPath), log: '' };
}
