/**
 * dongting: a 3-member Raft group serving DtKV, Dongting's distributed key-value store (Java).
 * Seed: shared/seeds/dongting-raft-kv-production-practices.txt. Start-up follows upstream's
 * dist/ (Bootstrap -c config.properties -s servers.properties).
 */
import { defineSystem, jvm } from '@kiln/model';
import type { MetricInput } from '@kiln/model';

const MEMBERS = 3;
const FIRST_ID = 1;
const ids = Array.from({ length: MEMBERS }, (_, i) => FIRST_ID + i);

// The seed names the ports (replicatePort, servicePort) but not their numbers: upstream dist defaults.
const REPLICATE = 9331;
const SERVICE = 9332;
const DATA_DIR = '/var/lib/dongting';
const METRICS_PORT = 9404;

// Dongting exports no Prometheus endpoint: Raft status reaches only in-process listeners (RaftStatus,
// the role-change listener) and the admin client (QueryStatusResp). The least invasive way in:
// - the Prometheus JMX exporter's Java agent (client_java 1.x), loaded by the java launcher from
//   JDK_JAVA_OPTIONS without touching Bootstrap: JVM and process metrics, and `up` for member down;
// - a Raft status bridge in our image: a role-change listener and a poll of the member's RaftStatus,
//   published to the agent's registry. Its series are the dongting_raft_* below; their names are
//   ours (upstream has none), and this catalog is the contract the bridge implements.
const RAFT_GROUP = { name: 'group', values: ['1'] };
const METRICS: MetricInput[] = [
  { name: 'dongting_raft_term', type: 'gauge', help: 'Current Raft term of this member', labels: [RAFT_GROUP] },
  { name: 'dongting_raft_is_leader', type: 'gauge', help: '1 while this member leads the group', labels: [RAFT_GROUP] },
  { name: 'dongting_raft_leader_changes_total', type: 'counter', help: 'Role changes seen by this member (role-change listener)', labels: [RAFT_GROUP] },
  { name: 'dongting_raft_commit_index', type: 'gauge', help: 'Highest log index known to be committed', labels: [RAFT_GROUP] },
  { name: 'dongting_raft_last_applied', type: 'gauge', help: 'Highest log index applied to the state machine', labels: [RAFT_GROUP] },
  { name: 'dongting_raft_apply_lag_seconds', type: 'gauge', help: 'Time between commit and application (RaftStatus applyLagNanos)', unit: 'seconds', labels: [RAFT_GROUP] },
  ...jvm.metrics,
];

// The agent needs no MBean rules: JVM and process metrics are built in.
const JMX_EXPORTER = `# Prometheus JMX exporter agent: JVM and process metrics (Dongting registers no MBeans).
lowercaseOutputName: true
rules: []
`;

// Raft settings the seed lists (RaftServerConfig and RaftGroupConfig fields, read by upstream's Bootstrap;
// it resolves ${VAR} from the environment, so each member's id comes from DT_NODE_ID).
const CONFIG = `# Raft server (RaftServerConfig)
nodeId = \${DT_NODE_ID}
replicatePort = ${REPLICATE}
servicePort = ${SERVICE}
electTimeout = 15000
heartbeatInterval = 2000

# Raft group (RaftGroupConfig); Bootstrap appends /<groupId> to dataDir
dataDir = ${DATA_DIR}
syncForce = true
saveSnapshotSeconds = 3600
maxKeepSnapshots = 2
deleteLogsAfterTakeSnapshot = true
saveSnapshotWhenClose = true
`;

// Bootstrap reads `servers` verbatim (no ${VAR} there) and the member addresses depend on the target, so
// servers.properties is written at start from DT_SERVERS, which Kiln fills per target. Upstream's
// start-dongting.sh backgrounds java with nohup; in a container java must be PID 1, hence exec.
const LAUNCHER = [
  `printf 'servers = %s\\ngroup.1.nodeIdOfMembers = ${ids.join(',')}\\n' "$DT_SERVERS" > /tmp/servers.properties`,
  [
    'exec java $JAVA_OPTS -DLOG_DIR=/tmp/logs -Dlogback.configurationFile=/opt/dongting/conf/logback-server.xml',
    '--module-path /opt/dongting/lib --add-exports java.base/jdk.internal.misc=dongting.client',
    '--add-modules org.slf4j,ch.qos.logback.classic --add-reads dongting.client=org.slf4j --add-reads dongting.client=ch.qos.logback.classic',
    '-m dongting.dist/com.github.dtprj.dongting.dist.Bootstrap -c /etc/dongting/config.properties -s /tmp/servers.properties',
  ].join(' '),
].join('; ');

export const dongting = defineSystem({
  name: 'dongting',
  description: 'Dongting Raft group serving DtKV',
  services: [
    {
      name: 'dongting',
      description: 'DtKV Raft member: replication on replicate, clients on service',
      // No image is published upstream (the seed: v0.8.x-ALPHA, "test thoroughly before production");
      // ours is built from the dist/ layout under /opt/dongting, on a JDK 21 base.
      image: 'ghcr.io/dtprj/dongting:0.8.0-alpha',
      // That base is eclipse-temurin:21-jre (Ubuntu): bash and /bin/sh, which the launcher runs, no curl.
      // Compose's TCP checks use bash.
      tools: ['bash', 'sh'],
      command: ['/bin/sh', '-ec', LAUNCHER],
      ports: [
        // Raft replication and admin commands, between members only.
        { name: 'replicate', port: REPLICATE },
        // Client access. Dongting has no authentication (seed): never public. No client service is part
        // of this system, so no flow reaches it yet; clients are declared when they exist.
        { name: 'service', port: SERVICE },
        { name: 'metrics', port: METRICS_PORT },
      ],
      env: {
        // Seed: ZGC and a 4g heap. Upstream's start-dongting.sh picks the collector by JDK and runs
        // generational ZGC on JDK 21 (`-XX:+ZGenerational`, which a JDK 23+ base would drop: generational
        // is its default). The heap and the direct-memory cap, for Dongting's ByteBuffer pools and
        // snapshot serialization, are upstream's too.
        JAVA_OPTS: '-XX:+UseZGC -XX:+ZGenerational -Xms4g -Xmx4g -XX:MaxDirectMemorySize=2g',
        // Read by the java launcher itself: the agent loads without changing the start command.
        JDK_JAVA_OPTIONS: `-javaagent:/opt/jmx_prometheus_javaagent.jar=${METRICS_PORT}:/etc/dongting/jmx-exporter.yaml`,
      },
      // Seed: "at least 4 CPU cores per node". 4g heap + 2g direct + metaspace and threads: 8Gi.
      // Guaranteed QoS: a throttled or evicted member costs the group an election.
      resources: { requests: { cpu: '4', memory: '8Gi' }, limits: { cpu: '4', memory: '8Gi' } },
      probes: {
        startup: { tcp: { port: 'replicate' }, periodSeconds: 5, failureThreshold: 60 },
        readiness: { tcp: { port: 'service' }, periodSeconds: 10 },
        liveness: { tcp: { port: 'replicate' }, periodSeconds: 10, failureThreshold: 3 },
      },
      stateful: {
        members: MEMBERS,
        firstId: FIRST_ID,
        idEnv: 'DT_NODE_ID',
        // Dongting's servers format: `1,host1:9331;2,host2:9331;3,host3:9331` (the seed's "comma-separated
        // host:port" is inaccurate: each entry is id,host:replicatePort, entries separated by ';').
        peers: { env: 'DT_SERVERS', port: 'replicate', format: '{id},{host}:{port}', separator: ';' },
        // A group of 3 keeps quorum with one member down: rolling upgrades one at a time (seed).
        maxUnavailable: 1,
      },
      // Upstream's Bootstrap stops the Raft server from a JVM shutdown hook (SIGTERM, java being PID 1
      // through exec) and gives it 60s: saving a snapshot (saveSnapshotWhenClose), closing the log. Kiln
      // waits those 60s plus a margin before SIGKILL.
      shutdownTimeoutSeconds: 60,
      security: { runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, readOnlyRootFilesystem: true },
      // /tmp: servers.properties, logback's LOG_DIR and the JVM's perf data.
      scratch: ['/tmp'],
      // Seed: "dataDir: use fast SSDs".
      volumes: [{ name: 'data', mountPath: DATA_DIR, size: '100Gi' }],
      config: { mountPath: '/etc/dongting', files: { 'config.properties': CONFIG, 'jmx-exporter.yaml': JMX_EXPORTER } },
      metrics: { port: 'metrics', exports: METRICS },
    },
  ],
  // Raft replication between members only (seed: "isolate RAFT replication traffic from client access").
  flows: [{ from: 'dongting', to: 'dongting', port: 'replicate' }],
  // The seed's monitoring diagram: leader stability, commit latency (apply lag, backlog), throughput.
  dashboards: [
    {
      uid: 'dongting-raft',
      title: 'Dongting Raft group',
      tags: ['dongting'],
      rows: [
        {
          title: 'Leader stability',
          panels: [
            { title: 'Members up', description: 'Members Prometheus reaches (1 up, 0 down); the group of 3 needs 2.', type: 'stat', unit: 'short', queries: [{ expr: 'up{job="dongting"}', legend: '{{instance}}' }], thresholds: [{ value: 1, color: 'green' }] },
            { title: 'Leader', description: 'Which member leads (1) the group.', unit: 'short', queries: [{ expr: 'dongting_raft_is_leader', legend: '{{instance}}' }] },
            { title: 'Leader changes', description: 'Role changes per member over the last interval; a stream of them means missed heartbeats.', unit: 'short', queries: [{ expr: 'sum by (instance) (increase(dongting_raft_leader_changes_total[$__rate_interval]))', legend: '{{instance}}' }] },
            { title: 'Term', description: 'Raft term; it grows with every election.', unit: 'short', queries: [{ expr: 'dongting_raft_term', legend: '{{instance}}' }] },
          ],
        },
        {
          title: 'Commit and apply',
          panels: [
            { title: 'Apply lag', description: 'Time between commit and application per member (applyLagNanos).', unit: 's', queries: [{ expr: 'dongting_raft_apply_lag_seconds', legend: '{{instance}}' }], thresholds: [{ value: 1, color: 'red' }] },
            { title: 'Apply backlog', description: 'Committed entries not yet applied per member (commitIndex - lastApplied).', unit: 'short', queries: [{ expr: 'dongting_raft_commit_index - dongting_raft_last_applied', legend: '{{instance}}' }] },
            { title: 'Replication throughput', description: 'Log entries committed per second, from the commit index.', unit: 'ops', queries: [{ expr: 'max(deriv(dongting_raft_commit_index[$__rate_interval]))', legend: 'entries' }] },
            { title: 'Heap', description: 'JVM heap in use (4g, ZGC).', unit: 'bytes', queries: [{ expr: 'jvm_memory_used_bytes{job="dongting",area="heap"}', legend: '{{instance}}' }] },
          ],
        },
      ],
    },
  ],
  // The seed's upgrade and backup practices.
  procedures: [
    {
      name: 'rolling-upgrade',
      title: 'Rolling upgrade',
      summary: 'A new Dongting release: one member at a time, the group keeps quorum with two of three.',
      steps: [
        'Change the image tag in environments/systems/dongting.ts and regenerate. On Kubernetes the StatefulSet rolls one member at a time (the PDB allows one down); on Compose restart members one by one.',
        { text: 'Stop a member gracefully (it saves a snapshot on close), upgrade it and start it.', run: { kubernetes: 'kubectl -n {namespace} rollout status statefulset/dongting', compose: 'docker compose -p {project} -f {compose} up -d dongting-1' } },
        'Wait until the member is up and its apply backlog is back to zero before the next one.',
        'If the new version misbehaves, stop rolling at once and put the previous tag back on the upgraded members.',
      ],
      panels: [
        { dashboard: 'dongting-raft', panel: 'Members up' },
        { dashboard: 'dongting-raft', panel: 'Apply backlog' },
      ],
      see: ['snapshot-backup'],
    },
    {
      name: 'snapshot-backup',
      title: 'Snapshot backup',
      summary: 'Take a backup of the group: the snapshots and log of one member, under its data directory.',
      steps: [
        'Snapshots are taken every saveSnapshotSeconds (3600) and two are kept; a backup copies the newest from one member.',
        { text: 'Copy the data directory of a follower (not the leader) while it runs.', run: { kubernetes: 'kubectl -n {namespace} exec dongting-2 -- tar -czf - /var/lib/dongting > dongting-$(date +%Y%m%d).tar.gz', compose: 'docker compose -p {project} -f {compose} exec dongting-2 tar -czf - /var/lib/dongting > dongting-$(date +%Y%m%d).tar.gz' } },
        'Store the archive off the cluster; test restoring it regularly.',
      ],
      see: ['restore'],
    },
    {
      name: 'restore',
      title: 'Restore from a snapshot',
      summary: 'A member lost its data, or the whole group must be rebuilt from a backup.',
      steps: [
        'One member lost: delete its volume and start it empty; it installs a snapshot from the leader and catches up.',
        'Whole group: stop all members, restore the same backup into every member\'s data directory, start them together; they elect a leader.',
        'Verify: one leader, apply backlog at zero on every member.',
      ],
      panels: [{ dashboard: 'dongting-raft', panel: 'Leader' }],
      see: ['snapshot-backup'],
    },
  ],
  alerts: [
    {
      name: 'DongtingMemberDown',
      expr: 'up{job="dongting"} == 0',
      for: '1m',
      severity: 'critical',
      summary: 'Dongting member {{ $labels.instance }} is down',
      description: 'A member of the Raft group of 3 is unreachable: one more failure loses quorum.',
      runbook: {
        impact: 'The group still serves with 2 of 3, but cannot survive another failure.',
        diagnosis: ['Is the JVM running? Check restarts, OOM kills and the member\'s log under /tmp/logs.', 'Did the data volume fill up?'],
        mitigation: ['Restart the member; it catches up from the leader (or a snapshot).'],
        panel: { dashboard: 'dongting-raft', panel: 'Members up' },
        escalation: 'Dongting owners.',
      },
      tests: [{ name: 'member-gone', series: { 'up{job="dongting",instance="dongting-2"}': '1 0x5' }, at: '4m', expect: [{ labels: { job: 'dongting', instance: 'dongting-2' } }] }],
    },
    {
      // The Raft status bridge is ours to build into the image: while its series are missing, every
      // Raft alert below is blind, and this one says so.
      name: 'DongtingRaftMetricsAbsent',
      expr: 'absent(dongting_raft_term{job="dongting"})',
      for: '15m',
      severity: 'warning',
      summary: 'No Raft metrics from the dongting members',
      description: 'dongting_raft_term is missing: leader, commit and apply alerts cannot fire.',
      runbook: {
        impact: 'Leader loss, elections and apply lag go unnoticed.',
        diagnosis: ['curl a member\'s :9404/metrics: JVM metrics without dongting_raft_* mean the status bridge is not in the image.'],
        mitigation: ['Build the image with the Raft status bridge (the catalog in environments/systems/dongting.ts is its contract).'],
      },
      tests: [
        { name: 'bridge-missing', series: { 'up{job="dongting",instance="dongting-1"}': '1x20' }, at: '16m', expect: [{ labels: { job: 'dongting' } }] },
        { name: 'bridge-present', series: { 'dongting_raft_term{job="dongting",instance="dongting-1",group="1"}': '3x20' }, at: '16m', expect: [] },
      ],
    },
    {
      name: 'DongtingNoLeader',
      expr: 'max by (job, group) (dongting_raft_is_leader) == 0',
      for: '1m',
      severity: 'critical',
      summary: 'Raft group {{ $labels.group }} has no leader',
      description: 'No member has led the group for a minute: writes fail until an election succeeds (electTimeout is 15s).',
      runbook: {
        impact: 'Every write fails.',
        diagnosis: ['How many members are up? An election needs 2 of 3.', 'Check replication traffic between members (port 9331).'],
        mitigation: ['Restore a second member; see the rolling-upgrade and restore procedures.'],
        panel: { dashboard: 'dongting-raft', panel: 'Leader' },
        escalation: 'Dongting owners, at once.',
      },
      tests: [
        {
          name: 'leaderless',
          series: { 'dongting_raft_is_leader{job="dongting",instance="dongting-1",group="1"}': '1 0x5', 'dongting_raft_is_leader{job="dongting",instance="dongting-2",group="1"}': '0x6' },
          at: '4m',
          expect: [{ labels: { job: 'dongting', group: '1' }, value: 0 }],
        },
      ],
    },
    {
      // Leader stability (seed): elections are normal at restarts, a stream of them is not.
      name: 'DongtingLeaderFlapping',
      expr: 'sum by (job, group) (increase(dongting_raft_leader_changes_total[15m])) > 3',
      severity: 'warning',
      summary: 'Raft group {{ $labels.group }} changed leaders {{ $value | humanize }} times in 15 minutes',
      description: 'Frequent elections: heartbeats (2s) are missed against the 15s election timeout.',
      runbook: {
        impact: 'Writes stall during every election.',
        diagnosis: ['Look for GC pauses and CPU throttling on the members.', 'Check network latency between members.'],
        mitigation: ['Fix the slow member; raise electTimeout only if the network is slow by nature.'],
        panel: { dashboard: 'dongting-raft', panel: 'Leader changes' },
      },
      tests: [{ name: 'elections', series: { 'dongting_raft_leader_changes_total{job="dongting",instance="dongting-1",group="1"}': '0+1x20' }, at: '16m', expect: [{ labels: { job: 'dongting', group: '1' }, value: 15 }] }],
    },
    {
      // Commit latency (seed): applyLagNanos, time between commit and application.
      name: 'DongtingApplyLagHigh',
      expr: 'dongting_raft_apply_lag_seconds > 1',
      for: '5m',
      severity: 'warning',
      summary: 'Apply lag is {{ $value | humanize }}s on {{ $labels.instance }}',
      description: 'Committed entries wait more than a second before the state machine applies them.',
      runbook: {
        impact: 'Reads on this member see old data; writes acknowledge late.',
        diagnosis: ['Check disk latency (syncForce=true) and CPU on the member.'],
        mitigation: ['Move the member to faster storage; restart it if it is stuck.'],
        panel: { dashboard: 'dongting-raft', panel: 'Apply lag' },
      },
      tests: [{ name: 'lagging', series: { 'dongting_raft_apply_lag_seconds{job="dongting",instance="dongting-3",group="1"}': '2.5x10' }, at: '6m', expect: [{ labels: { job: 'dongting', instance: 'dongting-3', group: '1' }, value: 2.5 }] }],
    },
    {
      // Commit backlog (seed): commitIndex vs lastApplied.
      name: 'DongtingApplyBacklog',
      expr: 'dongting_raft_commit_index - dongting_raft_last_applied > 10000',
      for: '5m',
      severity: 'warning',
      summary: '{{ $value }} committed entries not applied on {{ $labels.instance }}',
      description: 'The state machine falls behind the log.',
      runbook: {
        impact: 'The member serves stale state and its log grows.',
        diagnosis: ['Check the apply lag and the member\'s CPU.'],
        mitigation: ['Restart the member if it does not catch up; it recovers from a snapshot.'],
        panel: { dashboard: 'dongting-raft', panel: 'Apply backlog' },
      },
      tests: [
        {
          name: 'behind',
          series: {
            'dongting_raft_commit_index{job="dongting",instance="dongting-3",group="1"}': '50000x10',
            'dongting_raft_last_applied{job="dongting",instance="dongting-3",group="1"}': '20000x10',
          },
          at: '6m',
          expect: [{ labels: { job: 'dongting', instance: 'dongting-3', group: '1' }, value: 30000 }],
        },
      ],
    },
  ],
});
