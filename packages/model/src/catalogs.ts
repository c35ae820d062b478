/**
 * Metric catalogs of the platform and of common client libraries, declared once from each
 * exporter's source (named on each catalog) and imported where they are scraped. An environment
 * lists the platform catalogs its Prometheus has; a service spreads a library's catalog into its
 * `metrics.exports`.
 */
import type { CatalogInput, MetricInput } from './monitoring.js';

/** Defines a catalog; checked with the environment that uses it. */
export function defineCatalog<const C extends CatalogInput>(catalog: C): C {
  return catalog;
}

const gauge = (name: string, help: string, labels: MetricInput['labels'] = [], unit?: string): MetricInput => ({ name, type: 'gauge', help, labels, ...(unit && { unit }) });
const counter = (name: string, help: string, labels: MetricInput['labels'] = [], unit?: string): MetricInput => ({ name, type: 'counter', help, labels, ...(unit && { unit }) });

/**
 * The series Prometheus itself adds for every scrape target (prometheus/prometheus
 * `scrape/scrape.go`): every environment has these, with each target's `job` and `instance`.
 */
export const scrapeSeries = defineCatalog({
  name: 'prometheus-scrape',
  description: 'Series Prometheus writes for every target it scrapes (scrape/scrape.go)',
  metrics: [
    gauge('up', '1 if the last scrape of the target succeeded, 0 if it failed'),
    gauge('scrape_duration_seconds', 'How long the last scrape took', [], 'seconds'),
    gauge('scrape_samples_scraped', 'Samples the target exposed in the last scrape'),
    gauge('scrape_samples_post_metric_relabeling', 'Samples left after metric relabeling'),
    gauge('scrape_series_added', 'New series in the last scrape'),
  ],
});

/** kubelet's cAdvisor endpoint (`/metrics/cadvisor`; google/cadvisor `lib/metrics/prometheus.go`). */
export const cadvisor = defineCatalog({
  name: 'cadvisor',
  description: "Container usage from the kubelet's cAdvisor endpoint (google/cadvisor lib/metrics/prometheus.go)",
  metrics: [
    // The kubelet disables per-CPU stats: `cpu` is always "total".
    counter('container_cpu_usage_seconds_total', 'Cumulative CPU time consumed', ['namespace', 'pod', 'container', 'image', 'name', 'id', { name: 'cpu', values: ['total'] }], 'seconds'),
    gauge('container_memory_working_set_bytes', 'Working set: what the OOM killer and eviction look at', ['namespace', 'pod', 'container', 'image', 'name', 'id'], 'bytes'),
    counter('container_cpu_cfs_throttled_periods_total', 'CFS periods in which the container was throttled', ['namespace', 'pod', 'container', 'image', 'name', 'id']),
    counter('container_cpu_cfs_periods_total', 'Elapsed CFS enforcement periods', ['namespace', 'pod', 'container', 'image', 'name', 'id']),
  ],
});

/** kube-state-metrics v2.1+ (kubernetes/kube-state-metrics `internal/store`). */
export const kubeStateMetrics = defineCatalog({
  name: 'kube-state-metrics',
  description: 'Object state from kube-state-metrics v2.1+ (internal/store/pod.go, deployment.go, statefulset.go)',
  metrics: [
    gauge('kube_pod_container_resource_limits', 'Container limits by resource', ['namespace', 'pod', 'uid', 'container', 'node', { name: 'resource', values: ['cpu', 'memory', 'ephemeral_storage', 'storage'] }, { name: 'unit', values: ['core', 'byte', 'integer'] }]),
    gauge('kube_pod_container_resource_requests', 'Container requests by resource', ['namespace', 'pod', 'uid', 'container', 'node', { name: 'resource', values: ['cpu', 'memory', 'ephemeral_storage', 'storage'] }, { name: 'unit', values: ['core', 'byte', 'integer'] }]),
    counter('kube_pod_container_status_restarts_total', 'Container restarts', ['namespace', 'pod', 'uid', 'container']),
    gauge('kube_pod_status_ready', 'Pod readiness condition', ['namespace', 'pod', 'uid', { name: 'condition', values: ['true', 'false', 'unknown'] }]),
    gauge('kube_deployment_status_replicas_available', 'Available replicas of a Deployment', ['namespace', 'deployment']),
    gauge('kube_deployment_spec_replicas', 'Desired replicas of a Deployment', ['namespace', 'deployment']),
    gauge('kube_statefulset_status_replicas_ready', 'Ready replicas of a StatefulSet', ['namespace', 'statefulset']),
    gauge('kube_statefulset_replicas', 'Desired replicas of a StatefulSet', ['namespace', 'statefulset']),
  ],
});

/** What a process collector exports on Linux in every client library (tikv/rust-prometheus `process_collector.rs`, client_golang, client_java). */
const processMetrics: MetricInput[] = [
  counter('process_cpu_seconds_total', 'User and system CPU time spent', [], 'seconds'),
  gauge('process_resident_memory_bytes', 'Resident memory size', [], 'bytes'),
  gauge('process_virtual_memory_bytes', 'Virtual memory size', [], 'bytes'),
  gauge('process_open_fds', 'Open file descriptors'),
  gauge('process_max_fds', 'Limit of open file descriptors'),
  gauge('process_start_time_seconds', 'Start time since the Unix epoch', [], 'seconds'),
];

/** The Rust `prometheus` crate's process collector (feature `process`, Linux; registered in the default registry). */
export const rustProcess = defineCatalog({
  name: 'rust-process',
  description: "Rust prometheus crate's process collector (tikv/rust-prometheus src/process_collector.rs)",
  metrics: [...processMetrics, gauge('process_threads', 'OS threads in the process')],
});

/** client_golang's default registry: the process and Go runtime collectors. */
export const goRuntime = defineCatalog({
  name: 'go-runtime',
  description: "client_golang's default process and Go collectors (prometheus/process_collector.go, go_collector.go)",
  metrics: [
    ...processMetrics,
    gauge('go_goroutines', 'Goroutines that currently exist'),
    gauge('go_threads', 'OS threads created'),
    gauge('go_memstats_heap_inuse_bytes', 'Heap bytes in use', [], 'bytes'),
    { name: 'go_gc_duration_seconds', type: 'summary', help: 'Pause duration of garbage collection cycles', labels: [], unit: 'seconds' },
  ],
});

/** JVM metrics of client_java 1.x (Besu 24.12, the JMX exporter agent 1.x): `JvmMetrics`. */
export const jvm = defineCatalog({
  name: 'jvm',
  description: 'client_java 1.x JvmMetrics and ProcessMetrics (prometheus/client_java prometheus-metrics-instrumentation-jvm)',
  metrics: [
    ...processMetrics,
    gauge('jvm_memory_used_bytes', 'Used bytes of a memory area', [{ name: 'area', values: ['heap', 'nonheap'] }], 'bytes'),
    gauge('jvm_memory_max_bytes', 'Max bytes of a memory area', [{ name: 'area', values: ['heap', 'nonheap'] }], 'bytes'),
    gauge('jvm_memory_pool_used_bytes', 'Used bytes of a memory pool', ['pool'], 'bytes'),
    { name: 'jvm_gc_collection_seconds', type: 'summary', help: 'Time spent in a garbage collector', labels: ['gc'], unit: 'seconds' },
    gauge('jvm_threads_current', 'Current thread count'),
    gauge('jvm_runtime_info', 'JVM runtime', ['version', 'vendor', 'runtime']),
  ],
});
