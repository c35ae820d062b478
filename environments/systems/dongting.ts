/**
 * dongting: a 3-member Raft group serving DtKV, Dongting's distributed key-value store (Java).
 * Seed: shared/seeds/dongting-raft-kv-production-practices.txt. Start-up follows upstream's
 * dist/ (Bootstrap -c config.properties -s servers.properties).
 */
import { defineSystem } from '@kiln/model';

const MEMBERS = 3;
const FIRST_ID = 1;
const ids = Array.from({ length: MEMBERS }, (_, i) => FIRST_ID + i);

// The seed names the ports (replicatePort, servicePort) but not their numbers: upstream dist defaults.
const REPLICATE = 9331;
const SERVICE = 9332;
const DATA_DIR = '/var/lib/dongting';

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
      // ours is built from the dist/ layout under /opt/dongting, on a JDK 21 base (ZGC needs JDK 15+).
      image: 'ghcr.io/dtprj/dongting:0.8.0-alpha',
      command: ['/bin/sh', '-ec', LAUNCHER],
      ports: [
        // Raft replication and admin commands, between members only.
        { name: 'replicate', port: REPLICATE },
        // Client access. Dongting has no authentication (seed): never public. No client service is part
        // of this system, so no flow reaches it yet; clients are declared when they exist.
        { name: 'service', port: SERVICE },
      ],
      env: {
        // Seed: ZGC and a 4g heap. The direct-memory cap is upstream's (start-dongting.sh), for its
        // ByteBuffer pools and snapshot serialization; upstream itself prefers G1 at this heap size.
        JAVA_OPTS: '-XX:+UseZGC -Xms4g -Xmx4g -XX:MaxDirectMemorySize=2g',
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
      // Shutdown saves a snapshot (saveSnapshotWhenClose) and closes the log: 60s.
      terminationGracePeriodSeconds: 60,
      security: { runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, readOnlyRootFilesystem: true },
      // /tmp: servers.properties, logback's LOG_DIR and the JVM's perf data.
      scratch: ['/tmp'],
      // Seed: "dataDir: use fast SSDs".
      volumes: [{ name: 'data', mountPath: DATA_DIR, size: '100Gi' }],
      config: { mountPath: '/etc/dongting', files: { 'config.properties': CONFIG } },
      // The seed lists leader changes, commit/apply lag as metrics but Dongting exports no Prometheus
      // endpoint (status listeners only): no metrics port.
    },
  ],
  // Raft replication between members only (seed: "isolate RAFT replication traffic from client access").
  flows: [{ from: 'dongting', to: 'dongting', port: 'replicate' }],
});
