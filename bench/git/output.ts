/**
 * The rendered output the git benchmark commits: N clusters x M objects, one small YAML object
 * per file under `clusters/<cluster>/<namespace>/<kind>-<name>.yaml`, shaped like the per-object
 * layout of reference/perf-anchors.md section 3 (Deployment ~0.75 KB, Service, ConfigMap;
 * 10 namespaces; per cluster a label, replicas and one image tag differ).
 */
import { digestFiles } from '../../src/render/emit.js';
import type { BranchOutput, ClusterOutput } from '../../src/render/types.js';

const pad = (i: number, w = 4): string => String(i).padStart(w, '0');

function objectYaml(i: number, cluster: string, c: number): { path: string; yaml: string } {
  const n = `app-${pad(i)}`;
  const ns = `team-${i % 10}`;
  const label = `    fleet.example.com/cluster: ${cluster}\n`;
  switch (i % 3) {
    case 0: {
      const tag = i === 0 ? `v2.${c}` : `1.0.${i}`;
      return {
        path: `${ns}/deployment-${n}.yaml`,
        yaml: `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${n}\n  namespace: ${ns}\n  labels:\n    app: ${n}\n${label}    tier: backend\nspec:\n  replicas: ${1 + (c % 5)}\n  selector:\n    matchLabels:\n      app: ${n}\n  template:\n    metadata:\n      labels:\n        app: ${n}\n    spec:\n      containers:\n      - name: main\n        image: registry.example.com/${n}:${tag}\n        ports:\n        - containerPort: 8080\n          name: http\n        env:\n        - name: LOG_LEVEL\n          value: info\n        - name: CONFIG_NAME\n          value: ${n}-config\n        resources:\n          requests:\n            cpu: 100m\n            memory: 128Mi\n          limits:\n            cpu: 500m\n            memory: 256Mi\n        readinessProbe:\n          httpGet:\n            path: /healthz\n            port: http\n          periodSeconds: 10\n`,
      };
    }
    case 1:
      return {
        path: `${ns}/service-${n}.yaml`,
        yaml: `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${n}\n  namespace: ${ns}\n  labels:\n    app: ${n}\n${label}spec:\n  selector:\n    app: ${n}\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n    protocol: TCP\n`,
      };
    default:
      return {
        path: `${ns}/configmap-${n}.yaml`,
        yaml: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${n}\n  namespace: ${ns}\n  labels:\n    app: ${n}\n${label}data:\n  settings.properties: |\n    feature.a=true\n    feature.b=false\n    pool.size=${i % 50}\n    endpoint=https://api.example.com/${n}\n  LOG_FORMAT: json\n`,
      };
  }
}

export function clusterOutput(name: string, files: Map<string, string>, dir = `clusters/${name}`): ClusterOutput {
  return { cluster: name, dir, files, objects: files.size, digest: digestFiles(files) };
}

export function syntheticOutput(clusters: number, objects: number, branch = 'rendered'): BranchOutput {
  const out: ClusterOutput[] = [];
  for (let c = 0; c < clusters; c++) {
    const name = `cluster-${pad(c, 3)}`;
    const files = new Map<string, string>();
    for (let i = 0; i < objects; i++) {
      const o = objectYaml(i, name, c);
      files.set(`clusters/${name}/${o.path}`, o.yaml);
    }
    out.push(clusterOutput(name, files));
  }
  return { branch, clusters: out };
}

/** The same output with one object of one cluster edited (a ConfigMap value), as after a one-line change. */
export function withOneChange(output: BranchOutput, round: number): BranchOutput {
  const clusters = output.clusters.map((c, idx) => {
    if (idx !== round % output.clusters.length) return c;
    const files = new Map(c.files);
    const path = [...files.keys()].find((p) => p.includes('/configmap-'))!;
    files.set(path, files.get(path)!.replace(/LOG_FORMAT: .*/, `LOG_FORMAT: json-${round}`));
    return clusterOutput(c.cluster, files, c.dir);
  });
  return { branch: output.branch, clusters };
}
