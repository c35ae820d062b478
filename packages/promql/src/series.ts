/**
 * What a metric catalog means to a query: the series a metric family puts in the TSDB, with their
 * labels. A histogram `h` is `h_bucket` (with `le`), `h_sum` and `h_count`; a summary `s` is `s` (with
 * `quantile`), `s_sum` and `s_count`. Every scraped series also carries the target's labels.
 */
import type { Metric } from '@kiln/model';

/** How a series' value behaves: only `counter` series may go into rate(), irate() and increase(). */
export type SeriesKind = 'counter' | 'gauge';

export interface SeriesInfo {
  readonly name: string;
  readonly kind: SeriesKind;
  /** The family it belongs to and whether it is a histogram's `_bucket` series. */
  readonly family: string;
  readonly bucket: boolean;
  /** Label names with their declared values (undefined: any value); undefined when not known. */
  readonly labels: ReadonlyMap<string, readonly string[] | undefined> | undefined;
  /** Where it was declared (`service rpcnet-worker`, `catalog cadvisor`, `recording rule`). */
  readonly source: string;
}

export class SeriesIndex {
  private readonly series = new Map<string, SeriesInfo>();
  /** Families declared twice with different types: name → the two sources. */
  readonly conflicts: { name: string; first: string; second: string }[] = [];

  /** A family's series, each with the target labels added (`job`, `instance`, …). */
  addMetric(metric: Metric, source: string, targetLabels: ReadonlyMap<string, readonly string[] | undefined>): void {
    const own = new Map<string, readonly string[] | undefined>(targetLabels);
    for (const label of metric.labels) {
      if (typeof label === 'string') own.set(label, undefined);
      else own.set(label.name, label.values);
    }
    const with_ = (extra: string) => new Map([...own, [extra, undefined]]);
    const add = (name: string, kind: SeriesKind, labels: ReadonlyMap<string, readonly string[] | undefined>, bucket = false) =>
      this.add({ name, kind, family: metric.name, bucket, labels, source });
    switch (metric.type) {
      case 'counter':
      case 'gauge':
        add(metric.name, metric.type, own);
        break;
      case 'histogram':
        add(`${metric.name}_bucket`, 'counter', with_('le'), true);
        add(`${metric.name}_sum`, 'counter', own);
        add(`${metric.name}_count`, 'counter', own);
        break;
      case 'summary':
        add(metric.name, 'gauge', with_('quantile'));
        add(`${metric.name}_sum`, 'counter', own);
        add(`${metric.name}_count`, 'counter', own);
        break;
    }
  }

  add(info: SeriesInfo): void {
    const seen = this.series.get(info.name);
    if (!seen) {
      this.series.set(info.name, info);
      return;
    }
    if (seen.kind !== info.kind || seen.bucket !== info.bucket) {
      this.conflicts.push({ name: info.name, first: seen.source, second: info.source });
      return;
    }
    // The same family from two services (directors and workers share a library): labels are the union.
    if (!seen.labels || !info.labels) {
      this.series.set(info.name, { ...seen, labels: undefined });
      return;
    }
    const labels = new Map(seen.labels);
    for (const [name, values] of info.labels) {
      const before = labels.get(name);
      labels.set(name, labels.has(name) && (before === undefined || values === undefined) ? undefined : [...new Set([...(before ?? []), ...(values ?? [])])]);
    }
    this.series.set(info.name, { ...seen, labels });
  }

  /** Sets a series as it is (a recording rule once its expression is analysed). */
  replace(info: SeriesInfo): void {
    this.series.set(info.name, info);
  }

  get(name: string): SeriesInfo | undefined {
    return this.series.get(name);
  }

  has(name: string): boolean {
    return this.series.has(name);
  }

  names(): string[] {
    return [...this.series.keys()];
  }
}
