import { describe, expect, it } from 'vitest';
import { apiserverArgs, controllerManagerArgs, etcdArgs, kwokArgs, KWOK_NODE_ANNOTATION, type MemberLayout } from '../../../src/dev/args.js';
import { kwokNode } from '../../../src/dev/kwok-node.js';

const flag = (args: string[], name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

const member: MemberLayout = { name: 'east', dir: '/s/east', port: 6443, etcdUrl: 'http://127.0.0.1:2379', etcdPrefix: '/gitfed-dev/0-east/registry' };

describe('component command lines', () => {
  it('etcd names itself in --initial-cluster, or it looks for a member called "default"', () => {
    const args = etcdArgs({ dataDir: '/d', clientPort: 1, peerPort: 2 });
    const name = flag(args, 'name');
    expect(flag(args, 'initial-cluster')).toBe(`${name}=http://127.0.0.1:2`);
    expect(flag(args, 'listen-client-urls')).toBe('http://127.0.0.1:1');
  });

  it('each apiserver keeps its own etcd prefix, port and issuer on loopback', () => {
    const args = apiserverArgs(member);
    expect(flag(args, 'etcd-prefix')).toBe('/gitfed-dev/0-east/registry');
    expect(flag(args, 'secure-port')).toBe('6443');
    expect(flag(args, 'bind-address')).toBe('127.0.0.1');
    expect(flag(args, 'service-account-issuer')).toBe('https://127.0.0.1:6443');
    expect(flag(args, 'service-account-key-file')).toBe(flag(args, 'service-account-signing-key-file'));
    expect(flag(args, 'token-auth-file')).toBe('/s/east/tokens.csv');
  });

  it('kube-controller-manager signs tokens with the key the apiserver verifies', () => {
    expect(flag(controllerManagerArgs(member), 'service-account-private-key-file')).toBe(flag(apiserverArgs(member), 'service-account-key-file'));
    expect(flag(controllerManagerArgs(member), 'cluster-name')).toBe('east');
  });

  it('kwok manages exactly the nodes dev creates for it', () => {
    const selector = flag(kwokArgs(member, '/stages.yaml'), 'manage-nodes-with-annotation-selector');
    const [key, value] = selector!.split('=');
    const node = kwokNode() as { metadata: { annotations: Record<string, string> }; spec?: { taints?: unknown[] } };
    expect(key).toBe(KWOK_NODE_ANNOTATION);
    expect(node.metadata.annotations[key!]).toBe(value);
    expect(node.spec?.taints).toBeUndefined();
  });
});
