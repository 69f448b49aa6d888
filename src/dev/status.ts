/** `gitfed dev status`: every set of members on this machine, and whether its processes run. */
import { isRunning, rssKiB, type ProcessRecord } from './processes.js';
import { listStates, type DevState } from './state.js';

export interface ComponentStatus {
  readonly role: ProcessRecord['role'];
  readonly pid: number;
  readonly running: boolean;
  readonly rssKiB?: number;
}

export interface MemberStatus {
  readonly kubeconfig: string;
  /** The member name, or "etcd" for the set's shared etcd. */
  readonly name: string;
  readonly server: string;
  /** running: every process up; degraded: some; stopped: none. */
  readonly state: 'running' | 'degraded' | 'stopped';
  readonly components: readonly ComponentStatus[];
}

function component(p: ProcessRecord): ComponentStatus {
  const running = isRunning(p);
  return { role: p.role, pid: p.pid, running, rssKiB: running ? rssKiB(p.pid) : undefined };
}

function summarise(components: readonly ComponentStatus[]): MemberStatus['state'] {
  const up = components.filter((c) => c.running).length;
  return up === components.length ? 'running' : up === 0 ? 'stopped' : 'degraded';
}

export function setStatus(s: DevState): MemberStatus[] {
  const etcd = [component(s.etcd.process)];
  return [
    { kubeconfig: s.kubeconfig, name: 'etcd', server: s.etcd.url, state: summarise(etcd), components: etcd },
    ...s.members.map((m) => {
      const components = m.processes.map(component);
      return { kubeconfig: s.kubeconfig, name: m.name, server: m.server, state: summarise(components), components };
    }),
  ];
}

export function status(env: NodeJS.ProcessEnv = process.env): MemberStatus[] {
  return listStates(env).flatMap(setStatus);
}
