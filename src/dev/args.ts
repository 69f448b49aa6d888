/**
 * Command lines of the control-plane components. Pure functions, so tests can check them
 * without starting anything. The flags follow envtest and Kubernetes' own integration test
 * server (test/integration/framework); see docs/controlplane.md for why each one is there.
 */
import { join } from 'node:path';

export interface EtcdLayout {
  readonly dataDir: string;
  readonly clientPort: number;
  readonly peerPort: number;
}

export function etcdArgs(e: EtcdLayout): string[] {
  const client = `http://127.0.0.1:${e.clientPort}`;
  const peer = `http://127.0.0.1:${e.peerPort}`;
  return [
    '--name=gitfed-dev',
    `--data-dir=${e.dataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    // A custom --name needs its own --initial-cluster, or etcd looks for "default".
    `--initial-cluster=gitfed-dev=${peer}`,
    // Test data is disposable; fsync per write is what makes etcd slow on shared disks.
    '--unsafe-no-fsync=true',
    '--log-level=warn',
  ];
}

/** Files of one member, all under its own directory. */
export interface MemberLayout {
  readonly name: string;
  readonly dir: string;
  readonly port: number;
  readonly etcdUrl: string;
  readonly etcdPrefix: string;
}

export const memberFiles = (dir: string) => ({
  certDir: join(dir, 'certs'),
  /** kube-apiserver writes its self-signed serving certificate here. */
  servingCert: join(dir, 'certs', 'apiserver.crt'),
  saKey: join(dir, 'sa.key'),
  tokens: join(dir, 'tokens.csv'),
  kubeconfig: join(dir, 'kubeconfig'),
  log: (component: string) => join(dir, `${component}.log`),
});

export function apiserverArgs(m: MemberLayout): string[] {
  const f = memberFiles(m.dir);
  return [
    `--etcd-servers=${m.etcdUrl}`,
    // Members share one etcd; the prefix keeps their keys apart completely.
    `--etcd-prefix=${m.etcdPrefix}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${m.port}`,
    `--cert-dir=${f.certDir}`,
    '--service-cluster-ip-range=10.0.0.0/24',
    `--service-account-issuer=https://127.0.0.1:${m.port}`,
    `--service-account-key-file=${f.saKey}`,
    `--service-account-signing-key-file=${f.saKey}`,
    `--token-auth-file=${f.tokens}`,
    '--authorization-mode=RBAC',
    // Pods then need no service-account token volume, which kwok's pods could not mount anyway.
    '--disable-admission-plugins=ServiceAccount',
    // 127.0.0.1 is not a valid endpoint for the kubernetes Service; reconciling it only logs errors.
    '--endpoint-reconciler-type=none',
    '--allow-privileged=true',
    '--profiling=false',
    '--v=0',
  ];
}

export function controllerManagerArgs(m: MemberLayout): string[] {
  const f = memberFiles(m.dir);
  return [
    `--kubeconfig=${f.kubeconfig}`,
    '--leader-elect=false',
    // Serving nothing: no port to allocate, nothing to collide.
    '--secure-port=0',
    '--controllers=*',
    `--cluster-name=${m.name}`,
    `--service-account-private-key-file=${f.saKey}`,
    `--root-ca-file=${f.servingCert}`,
    '--use-service-account-credentials=false',
    '--v=0',
  ];
}

export function schedulerArgs(m: MemberLayout): string[] {
  const f = memberFiles(m.dir);
  return [`--kubeconfig=${f.kubeconfig}`, '--leader-elect=false', '--secure-port=0', '--v=0'];
}

/** The annotation that marks the nodes kwok simulates. */
export const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';

export function kwokArgs(m: MemberLayout, stages: string): string[] {
  const f = memberFiles(m.dir);
  return [
    `--kubeconfig=${f.kubeconfig}`,
    `--config=${stages}`,
    '--manage-all-nodes=false',
    `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=fake`,
    // Pod IPs come from here and the node's from outside it; nothing routes to either.
    '--cidr=10.244.0.0/16',
    '--node-ip=10.243.0.1',
    '--node-lease-duration-seconds=40',
    '--server-address=',
  ];
}
