/** `gitfed daemon`: keep every member matching the output branch, and the report current. */
import type { Command } from 'commander';
import { GitfedError } from '../../src/errors.js';
import { branchSelector } from '../cluster-filter.js';
import type { Management } from '../../src/controller/management.js';
import type { GitAuth } from '../../src/git/mirror.js';
import { memberOptions } from './apply.js';
import { count } from './observe.js';

interface DaemonFlags {
  repo: string;
  branch: string;
  kubeconfig?: string;
  cluster?: string[];
  selector?: string;
  config?: string;
  state?: string;
  rollout?: string;
  rolloutState?: string;
  pointerBranches?: string;
  ageKeyFile?: string[];
  managementKubeconfig?: string;
  inCluster?: boolean;
  namespace?: string;
  replica?: string;
  gitTokenFile?: string;
  gitSecret?: string;
  gitUsername?: string;
  gitSshKeyFile?: string;
  gitKnownHostsFile?: string;
  webhookSecretFile?: string;
  membersFromSecrets?: boolean;
  membersFromClusterProfiles?: boolean;
  clusterProfileNamespace?: string;
  leaseDuration: string;
  renewDeadline: string;
  retryPeriod: string;
  logFormat: string;
  httpAddress?: string;
  httpTokenFile?: string;
  observe?: boolean;
  fleet?: string;
  fleetRef: string;
  stateBranch: string;
  observeInterval: string;
  dwell: string;
  band: string;
  render?: boolean;
  sourceRepo?: string;
}

/** The bearer token of --http-token-file: its content, without the trailing newline. */
async function readToken(file: string | undefined): Promise<string | undefined> {
  if (!file) return undefined;
  const { readFileSync } = await import('node:fs');
  let token: string;
  try {
    token = readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new GitfedError('FileNotFound', `cannot read --http-token-file: ${(err as Error).message}`, { file });
  }
  if (token.length < 16) throw new GitfedError('InvalidFlag', 'the HTTP token must be at least 16 characters', { file });
  return token;
}

/**
 * The git credentials the flags give, checked against the URL's transport before anything
 * starts: a token for https, a deploy key and known_hosts for ssh; an unsupported scheme is refused.
 */
async function gitAuth(flags: DaemonFlags, management?: Management): Promise<(() => GitAuth | Promise<GitAuth>) | undefined> {
  const [{ isRemote, transportOf }, creds] = await Promise.all([import('../../src/git/mirror.js'), import('../../src/controller/git-credentials.js')]);
  const sshFlag = flags.gitSshKeyFile ? '--git-ssh-key-file' : flags.gitKnownHostsFile ? '--git-known-hosts-file' : undefined;
  if (!isRemote(flags.repo)) {
    const given = flags.gitTokenFile ? '--git-token-file' : flags.gitSecret ? '--git-secret' : sshFlag;
    if (given) throw new GitfedError('InvalidFlag', `${given} is for a --repo URL; ${flags.repo} is a local path`);
    return undefined;
  }
  if (flags.gitTokenFile && flags.gitSecret) throw new GitfedError('InvalidFlag', '--git-token-file and --git-secret both give the git credentials; give one');
  if (transportOf(flags.repo) === 'ssh') {
    if (flags.gitTokenFile) throw new GitfedError('InvalidFlag', '--git-token-file is for an https --repo; an ssh one takes --git-ssh-key-file and --git-known-hosts-file');
    if (flags.gitSecret && sshFlag) throw new GitfedError('InvalidFlag', `--git-secret and ${sshFlag} both give the ssh key; give one`);
    if (flags.gitSecret) return creds.secretSshCredentials(management!, flags.gitSecret);
    return sshFlag ? creds.sshFileCredentials(flags.gitSshKeyFile, flags.gitKnownHostsFile) : undefined;
  }
  if (sshFlag) throw new GitfedError('InvalidFlag', `${sshFlag} is for an ssh --repo (ssh://git@host/fleet.git or git@host:fleet.git), not an https one`);
  if (flags.gitSecret) return creds.secretCredentials(management!, flags.gitSecret, flags.gitUsername);
  return flags.gitTokenFile ? creds.tokenFileCredentials(flags.gitTokenFile, flags.gitUsername) : undefined;
}

/** The shared secret of --webhook-secret-file, as read-token reads the HTTP token. */
async function readWebhookSecret(file: string | undefined): Promise<string | undefined> {
  if (!file) return undefined;
  const { readFileSync } = await import('node:fs');
  let secret: string;
  try {
    secret = readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new GitfedError('FileNotFound', `cannot read --webhook-secret-file: ${(err as Error).message}`, { file });
  }
  if (secret.length < 16) throw new GitfedError('InvalidFlag', 'the webhook secret must be at least 16 characters', { file });
  return secret;
}

function seconds(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new GitfedError('InvalidFlag', `${flag} must be a positive number of seconds, not ${value}`);
  return n;
}

export function register(program: Command): void {
  memberOptions(program.command('daemon'))
    .description('watch the output branch and keep every member matching it: apply on a new head, correct or report drift, prune')
    .option('--rollout <fleet dir>', "roll a new head out wave by wave, by the rollout section of this fleet checkout's gitfed.yaml, over the waves the branch carries (docs/rollout.md)")
    .option('--rollout-state <file>', "where the rollout is kept for gitfed rollout status | resume | abort | promote (default: gitfed/rollout.json in the repository's git directory)")
    .option('--pointer-branches <template>', "with --rollout, apply nothing: move a branch per wave ('rollout/{wave}') or per member ('rollout/{cluster}') in --repo for Argo CD or Flux to read, by the members' health read-only")
    .option('--management-kubeconfig <file>', 'run as one replica of a controller: members are shared with the other replicas through Leases in this cluster')
    .option('--in-cluster', 'the management cluster is the one this pod runs in (its service account)')
    .option('--namespace <ns>', 'namespace of the Leases, status objects and Secrets in the management cluster (default: the pod\'s own with --in-cluster, else gitfed-system)')
    .option('--members-from-secrets', 'reach the members through kubeconfigs in Secrets of that namespace labelled gitfed.io/member=<cluster> (instead of --kubeconfig)')
    .option('--members-from-cluster-profiles', 'the members are the healthy ClusterProfiles (multicluster.x-k8s.io/v1alpha1) of the management cluster; credentials from the Secret labelled gitfed.io/member=<profile name>')
    .option('--cluster-profile-namespace <ns>', 'namespace of the ClusterProfiles (default: --namespace)')
    .option('--git-token-file <file>', 'HTTPS token for a --repo URL, read from this file at each fetch (never put in the URL)')
    .option('--git-secret <name>', 'HTTPS credentials for a --repo URL from this Secret of the namespace (keys username and password, or bearerToken)')
    .option('--git-username <name>', 'user name sent with the token', 'x-access-token')
    .option('--git-ssh-key-file <file>', 'private deploy key for an ssh --repo (ssh://git@host/fleet.git or git@host:fleet.git); native git and OpenSSH fetch')
    .option('--git-known-hosts-file <file>', "the ssh server's host keys; any other host key is refused")
    .option('--replica <id>', 'this replica\'s name in the Leases (default: host name and a random suffix)')
    .option('--lease-duration <s>', 'how long the other replicas wait, without a renewal, before taking over', '15')
    .option('--renew-deadline <s>', 'how long a replica goes on without renewing before it stops working', '10')
    .option('--retry-period <s>', 'how often a replica renews its Lease and looks at the others', '2')
    .option('--log-format <format>', 'text | json', 'text')
    .option('--http-address <host:port>', 'serve /healthz, /readyz, /api/v1/status, /metrics and the page here (default with a management cluster: 127.0.0.1:8080)')
    .option('--http-token-file <file>', 'bearer token the HTTP API and /metrics require; needed for any address but loopback')
    .option('--observe', 'also observe the members continuously (as gitfed observe does) and commit what changed to the state branch of --fleet; in a controller, one replica at a time (the holder of the observer Lease)')
    .option('--fleet <dir|url>', 'with --observe: the fleet repo (a local clone) whose inventory names the members; the state branch, and with --render the output branches, are committed there (in a controller also its https URL, pushed to with --repo\'s credentials)')
    .option('--fleet-ref <rev>', 'with --observe: source revision observed and rendered (a branch with a --fleet URL)', 'HEAD')
    .option('--state-branch <name>', 'with --observe: state branch', 'fleet-state')
    .option('--observe-interval <s>', 'with --observe: seconds between observations (a watch event on a member asks for one sooner)', '30')
    .option('--dwell <seconds>', 'with --observe: a change for the better is committed only once the member\'s document has stood this long', '60')
    .option('--band <replicas>', 'with --observe: how many more replicas must fit before more room counts', '1')
    .option('--render', 'with --observe: render each new (source, state) pair into the output branches of --fleet, as render --commit --state does; the daemon then applies them')
    .option('--source-repo <url>', 'with --render: how the metadata file names the fleet repo (default: remote origin URL, else ".")')
    .option('--webhook-secret-file <file>', "POST /api/v1/webhook fetches the branch at once when signed with this secret (GitHub's X-Hub-Signature-256 or GitLab's X-Gitlab-Token)")
    .addHelpText(
      'after',
      '\nSIGTERM or SIGINT: in-flight requests finish (a replica hands its members back), then the daemon exits 0.\n\nExamples:\n  gitfed daemon --repo out.git --kubeconfig members.kubeconfig\n  gitfed daemon --repo fleet --kubeconfig members.kubeconfig --observe --fleet fleet --render   # overflow and failover, every move a commit\n  gitfed daemon --repo out.git --kubeconfig members.kubeconfig --management-kubeconfig mgmt.kubeconfig --namespace gitfed\n',
    )
    .action(async (flags: DaemonFlags) => {
      if (flags.logFormat !== 'text' && flags.logFormat !== 'json') throw new GitfedError('InvalidFlag', `--log-format must be text or json, not ${flags.logFormat}`);
      if (flags.pointerBranches !== undefined) await checkPointerFlags(flags);
      const [{ loadConfig, withAgeKeyFiles, DEFAULT_CONFIG_FILE }, { serve, checkExposure }] = await Promise.all([import('../../src/apply/config.js'), import('../../src/controller/http.js')]);
      const config = withAgeKeyFiles(loadConfig(flags.config), flags.ageKeyFile);
      const configFile = flags.config ?? DEFAULT_CONFIG_FILE;
      const [{ watchConfig }, { createLogger }] = await Promise.all([import('../../src/controller/config-watch.js'), import('../../src/controller/log.js')]);
      const token = await readToken(flags.httpTokenFile);
      // Checked now, matched at every head: a label changed in the fleet moves a member in or out.
      const selector = branchSelector(flags.selector);
      const selected = selector ? { selector } : {};
      if (flags.cluster || selector) {
        // A typo'd --cluster or a selector that matches nothing fails now, as in apply, not as a log line at every head.
        const [{ readSource }, { isRemote }] = await Promise.all([import('../../src/git/branch-read.js'), import('../../src/git/mirror.js')]);
        if (!isRemote(flags.repo)) await readSource(flags.repo, flags.branch, { clusters: flags.cluster, ...selected });
      }
      const observing = observeFlags(flags);
      const webhookSecret = await readWebhookSecret(flags.webhookSecretFile);
      const branch = flags.branch;
      if (flags.managementKubeconfig || flags.inCluster) {
        if (flags.rollout) throw new GitfedError('InvalidFlag', '--rollout runs in a single daemon, not in a controller of replicas yet; leave out --management-kubeconfig and --in-cluster');
        if (flags.managementKubeconfig && flags.inCluster) throw new GitfedError('InvalidFlag', '--management-kubeconfig and --in-cluster name the management cluster twice; give one');
        if (observing) await checkRemoteFleet(flags, observing.fleet);
        const [{ Controller }, { timingsProblem }] = await Promise.all([import('../../src/controller/controller.js'), import('../../src/controller/lease.js')]);
        const timings = { leaseSeconds: seconds('--lease-duration', flags.leaseDuration), renewDeadlineSeconds: seconds('--renew-deadline', flags.renewDeadline), retrySeconds: seconds('--retry-period', flags.retryPeriod) };
        const problem = timingsProblem(timings);
        if (problem) throw new GitfedError('InvalidFlag', problem, { hint: 'the defaults are --lease-duration 15 --renew-deadline 10 --retry-period 2' });
        if (flags.membersFromClusterProfiles && (flags.kubeconfig || flags.membersFromSecrets)) throw new GitfedError('InvalidFlag', `--members-from-cluster-profiles and ${flags.kubeconfig ? '--kubeconfig' : '--members-from-secrets'} both say how to reach the members; give one`);
        if (flags.membersFromSecrets && flags.kubeconfig) throw new GitfedError('InvalidFlag', '--members-from-secrets and --kubeconfig both say how to reach the members; give one');
        const [{ defaultReplicaId }, { Management }, { KubeConfig }] = await Promise.all([
          import('../../src/controller/shard.js'), import('../../src/controller/management.js'), import('@kubernetes/client-node'),
        ]);
        const replica = flags.replica ?? defaultReplicaId();
        const log = createLogger({ format: flags.logFormat, replica, write: (line) => process.stderr.write(line + '\n') });
        const management = await Management.connect(flags.inCluster ? undefined : flags.managementKubeconfig, flags.namespace, Math.max(1000, (timings.renewDeadlineSeconds * 1000) / 3));
        let kubeconfig: string | InstanceType<typeof KubeConfig> | undefined = flags.kubeconfig;
        let inventoryProblem: ((member: string) => string | undefined) | undefined;
        let ignoredProfiles: ((members: readonly string[]) => void) | undefined;
        let refreshInventory: (() => Promise<void>) | undefined;
        let controllerRef: InstanceType<typeof Controller> | undefined;
        if (flags.membersFromClusterProfiles) {
          const [{ inventoryFromProfiles, inventoryProblem: problemOf }, { MEMBER_SECRET_LABEL }] = await Promise.all([import('../../src/controller/cluster-profiles.js'), import('../../src/controller/member-secrets.js')]);
          const profileNs = flags.clusterProfileNamespace ?? management.namespace;
          const read = async () => {
            const next = inventoryFromProfiles(await management.listClusterProfiles(profileNs), await management.listSecrets(MEMBER_SECRET_LABEL));
            const kc = new KubeConfig();
            kc.loadFromString(next.kubeconfig);
            return { inv: next, kc };
          };
          const tell = (next: typeof inv) => {
            for (const [, why] of next.problems) log({ level: 'warn', msg: why, action: 'inventory' });
            log({ msg: `members from ${next.profiles.length} ClusterProfile(s) in ${profileNs}: ${next.members.join(', ') || 'none usable'}`, action: 'inventory' });
          };
          let { inv, kc } = await read();
          tell(inv);
          kubeconfig = kc;
          inventoryProblem = (member) => problemOf(inv, member, profileNs);
          // Health changes: the profiles are read again every fetch interval; a changed inventory reaches the daemon at once.
          refreshInventory = () =>
            read().then(
              (next) => {
                if (next.inv.kubeconfig === inv.kubeconfig && JSON.stringify([...next.inv.problems]) === JSON.stringify([...inv.problems])) return;
                ({ inv, kc } = next);
                tell(inv);
                controllerRef?.updateKubeconfig(kc);
              },
              (err: unknown) => log({ level: 'warn', msg: `cannot read the ClusterProfiles: ${(err as Error).message}`, action: 'inventory' }),
            );
          const logged = new Set<string>();
          ignoredProfiles = (members) => {
            if (members.length === 0) return; // the branch is not read yet
            for (const p of inv.profiles) {
              if (members.includes(p) || logged.has(p)) continue;
              logged.add(p);
              log({ msg: `ClusterProfile ${p} has no directory on the branch; ignored`, action: 'inventory', member: p });
            }
          };
        } else if (flags.membersFromSecrets) {
          const [{ kubeconfigFromSecrets, MEMBER_SECRET_LABEL }] = await Promise.all([import('../../src/controller/member-secrets.js')]);
          const found = kubeconfigFromSecrets(await management.listSecrets(MEMBER_SECRET_LABEL));
          for (const p of found.problems) log({ level: 'warn', msg: p, action: 'credentials' });
          log({ msg: `member credentials from ${found.members.length} Secret(s): ${found.members.join(', ')}`, action: 'credentials' });
          const kc = new KubeConfig();
          kc.loadFromString(found.kubeconfig);
          kubeconfig = kc;
        }
        const gitCredentials = await gitAuth(flags, management);
        const observe = observing ? await observeSettings(flags, observing) : undefined;
        const controller = new Controller({
          repo: flags.repo,
          branch: flags.branch,
          kubeconfig,
          clusters: flags.cluster,
          ...selected,
          config,
          management,
          replica,
          timings,
          log,
          ...(gitCredentials ? { gitCredentials } : {}),
          ...(inventoryProblem ? { inventoryProblem } : {}),
          ...(observe ? { observe } : {}),
        });
        controllerRef = controller;
        if (ignoredProfiles) controller.onPlan(() => ignoredProfiles!(controller.apply.memberNames()));
        const inventoryTimer = refreshInventory ? setInterval(() => void refreshInventory!(), config.fetchSeconds * 1000) : undefined;
        const address = flags.httpAddress ?? '127.0.0.1:8080';
        checkExposure(address, token);
        const webhook = webhookSecret ? { secret: webhookSecret, branch, refresh: () => controller.apply.refreshSource(), log } : undefined;
        const server = await serve(controller.served(), { address, token, ...(webhook ? { webhook } : {}) });
        log({ msg: `serving on http://${server.address}`, action: 'serve', address: server.address });
        const unwatch = watchConfig(configFile, (c) => controller.updateConfig(withAgeKeyFiles(c, flags.ageKeyFile)), log);
        onSignals(async () => {
          unwatch();
          clearInterval(inventoryTimer);
          await controller.stop();
          await server.close();
        });
        await controller.start();
        return;
      }
      if (flags.gitSecret || flags.membersFromSecrets || flags.membersFromClusterProfiles) throw new GitfedError('InvalidFlag', `${flags.gitSecret ? '--git-secret' : flags.membersFromSecrets ? '--members-from-secrets' : '--members-from-cluster-profiles'} reads Secrets of a management cluster; give --management-kubeconfig or --in-cluster`);
      const gitCredentials = await gitAuth(flags);
      const [{ Daemon }, { LocalServed }] = await Promise.all([import('../../src/apply/daemon.js'), import('../../src/controller/local.js')]);
      if (webhookSecret && !flags.httpAddress) throw new GitfedError('InvalidFlag', '--webhook-secret-file needs --http-address: the webhook is served there');
      const local = flags.httpAddress ? new LocalServed() : undefined;
      const rolloutFile = flags.rolloutState ?? (await import('../../src/rollout/gate.js')).rolloutFileFor(flags.repo);
      const rollout = flags.rollout === undefined ? undefined : { ...(await (await import('../../src/rollout/fleet-waves.js')).fleetWaves(flags.rollout)), file: rolloutFile };
      if (rollout && flags.pointerBranches !== undefined) {
        if (observing) throw new GitfedError('InvalidFlag', '--observe and --pointer-branches: the pointer mode applies nothing and renders nothing; run gitfed observe beside it');
        if (selector) throw new GitfedError('InvalidFlag', '-l selects members to apply; the --pointer-branches mode moves branches for every wave of the rollout (choose members in the waves)');
        const { Promoter } = await import('../../src/rollout/promoter.js');
        const promoter = new Promoter({ repo: flags.repo, branch: flags.branch, kubeconfig: flags.kubeconfig, clusters: flags.cluster, config, rollout, pointerBranches: flags.pointerBranches, log: (line) => process.stderr.write(line + '\n') });
        onSignals(() => promoter.stop());
        await promoter.start();
        return;
      }
      if (observing && (await import('../../src/git/mirror.js')).isRemote(observing.fleet)) throw new GitfedError('InvalidFlag', '--fleet is a local clone in a single daemon; a URL is for a controller (--management-kubeconfig, --in-cluster)');
      const daemon = new Daemon({
        repo: flags.repo,
        branch: flags.branch,
        kubeconfig: flags.kubeconfig,
        clusters: flags.cluster,
        ...selected,
        config,
        stateFile: flags.state,
        rolloutFile,
        ...(rollout ? { rollout } : {}),
        ...(gitCredentials ? { gitCredentials } : {}),
        log: (line) => process.stderr.write(line + '\n'),
        ...(local ? { onReconcile: local.onReconcile } : {}),
        ...(observing ? { onMemberEvent: () => loop?.poke() } : {}),
      });
      const loop = observing ? await observeLoop(flags, observing, () => void daemon.checkHead()) : undefined;
      local?.attach(daemon);
      let server: { address: string; close(): Promise<void> } | undefined;
      if (local && flags.httpAddress) {
        const log = createLogger({ format: flags.logFormat, write: (line) => process.stderr.write(line + '\n') });
        const webhook = webhookSecret ? { secret: webhookSecret, branch, refresh: () => daemon.refreshSource(), log } : undefined;
        server = await serve(local.served(), { address: flags.httpAddress, token, ...(webhook ? { webhook } : {}) });
        process.stderr.write(`serving on http://${server.address}\n`);
      }
      const unwatch = watchConfig(configFile, (c) => daemon.updateConfig(withAgeKeyFiles(c, flags.ageKeyFile)), createLogger({ format: flags.logFormat, write: (line) => process.stderr.write(line + '\n') }));
      onSignals(async () => {
        unwatch();
        await loop?.stop();
        await daemon.stop();
        await server?.close();
      });
      await daemon.start();
      loop?.start();
    });
}

/** The observe-and-promote mode's flags, checked before anything is started. */
async function checkPointerFlags(flags: DaemonFlags): Promise<void> {
  const template = flags.pointerBranches!;
  if (flags.rollout === undefined) throw new GitfedError('InvalidFlag', '--pointer-branches moves branches by a rollout; give --rollout <fleet dir> too', { hint: "gitfed daemon --repo out.git --kubeconfig members.kubeconfig --rollout ./fleet --pointer-branches 'rollout/{wave}'" });
  const [{ pointerTemplateProblem }, { isRemote }] = await Promise.all([import('../../src/rollout/pointers.js'), import('../../src/git/mirror.js')]);
  const problem = pointerTemplateProblem(template);
  if (problem) throw new GitfedError('InvalidFlag', `--pointer-branches ${JSON.stringify(template)} ${problem}`, { hint: "'rollout/{wave}' for a branch per wave, 'rollout/{cluster}' for a branch per member" });
  if (isRemote(flags.repo)) throw new GitfedError('InvalidFlag', '--pointer-branches moves branches in a local repository; give --repo a path (serve it to the consumers from there)', { hint: 'pushing pointer branches to a remote is not done yet (docs/rollout.md)' });
  if (flags.httpAddress) throw new GitfedError('InvalidFlag', "--http-address serves the applying daemon's report; the --pointer-branches mode has none (see gitfed rollout status)");
}

interface ObserveSettings {
  readonly fleet: string;
  readonly intervalSeconds: number;
  readonly dwellSeconds: number;
  readonly band: number;
}

/**
 * A controller's --fleet URL: the observing replica pulls from it and pushes the state branch to
 * it over https with --repo's credentials, the source being a branch of it.
 */
async function checkRemoteFleet(flags: DaemonFlags, fleet: string): Promise<void> {
  const [{ isRemote, transportOf }, { publicUrl }] = await Promise.all([import('../../src/git/mirror.js'), import('../../src/git/public-url.js')]);
  if (!isRemote(fleet)) return;
  if (transportOf(fleet) === 'ssh') throw new GitfedError('InvalidFlag', '--observe pushes the state branch to a --fleet URL over https; ssh is not done yet', { hint: 'give --fleet an https URL, or a local clone every replica reaches' });
  if (flags.fleetRef === 'HEAD' || !/^[\w./-]+$/.test(flags.fleetRef)) throw new GitfedError('InvalidFlag', `--fleet ${publicUrl(fleet)} is a URL: --fleet-ref must name its source branch, not ${flags.fleetRef}`, { hint: '--fleet-ref main' });
}

/** The --observe flags checked together; undefined without --observe (the flags that need it refused). */
function observeFlags(flags: DaemonFlags): ObserveSettings | undefined {
  if (!flags.observe) {
    const stray = [flags.fleet !== undefined && '--fleet', flags.render && '--render', flags.sourceRepo !== undefined && '--source-repo'].filter((f): f is string => !!f);
    if (stray.length > 0) throw new GitfedError('InvalidFlag', `${stray.join(', ')} go with --observe`, { hint: 'gitfed daemon --repo DIR --observe --fleet DIR --render' });
    return undefined;
  }
  if (flags.fleet === undefined) throw new GitfedError('InvalidFlag', '--observe needs --fleet: the fleet repo whose inventory names the members, where the state branch is committed', { hint: 'gitfed daemon --repo fleet --observe --fleet fleet --render' });
  if (flags.sourceRepo !== undefined && !flags.render) throw new GitfedError('InvalidFlag', '--source-repo names the fleet repo in a render; add --render');
  return { fleet: flags.fleet, intervalSeconds: seconds('--observe-interval', flags.observeInterval.replace(/s$/, '')), dwellSeconds: count('--dwell', flags.dwell), band: count('--band', flags.band) };
}

/** The observe loop's settings from the flags, as the single daemon and the controller's observer run it. */
async function observeSettings(flags: DaemonFlags, s: ObserveSettings) {
  const [{ originUrl }, { isRemote }, { publicUrl }] = await Promise.all([import('./remote.js'), import('../../src/git/mirror.js'), import('../../src/git/public-url.js')]);
  const sourceRepo = flags.render ? (flags.sourceRepo ?? (isRemote(s.fleet) ? publicUrl(s.fleet) : await originUrl(s.fleet)) ?? '.') : undefined;
  return {
    fleet: s.fleet,
    ref: flags.fleetRef,
    branch: flags.stateBranch,
    intervalSeconds: s.intervalSeconds,
    dwellSeconds: s.dwellSeconds,
    band: s.band,
    ...(sourceRepo !== undefined ? { render: { sourceRepo } } : {}),
  };
}

async function observeLoop(flags: DaemonFlags, s: ObserveSettings, onRendered: () => void) {
  const [{ ObserveLoop }, settings] = await Promise.all([import('../../src/observe/loop.js'), observeSettings(flags, s)]);
  return new ObserveLoop({
    ...settings,
    ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
    log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
    onRendered,
  });
}

function onSignals(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${signal}: finishing in-flight requests\n`);
    stop().then(
      () => process.exit(0),
      () => process.exit(2),
    );
  };
  process.on('SIGTERM', () => handler('SIGTERM'));
  process.on('SIGINT', () => handler('SIGINT'));
}
