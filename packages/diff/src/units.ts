/**
 * A generated file read as the resources a reviewer thinks in: Kubernetes objects, alerting and
 * recording rules, Compose services, a dashboard, a runbook's sections, a host profile's keys.
 * Anything else is one resource per file, compared as a tree when it parses (YAML, JSON) and line
 * by line when not.
 */
import { parseAllDocuments } from 'yaml';
import type { SensitivePlace, TreeOptions } from './tree.js';
import type { OutputKind } from './report.js';

export interface Unit {
  /** Unique within its environment and kind. */
  readonly id: string;
  readonly name: string;
  /** Renames pair units of one type only. */
  readonly type: string;
  readonly file: string;
  /** The parsed content (or the text, for a file with no structure). */
  readonly value: unknown;
  /** The unit's own name, which a rename changes everywhere inside it; rename detection sees past it. */
  readonly ident: string;
  readonly options: TreeOptions;
}

type Plain = Record<string, unknown>;
const isPlain = (value: unknown): value is Plain => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Plain JSON data from a YAML 1.1 document: timestamps as their text, no Maps, Sets or binaries. */
function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), plain(v)]));
  if (value instanceof Set) return [...value].map(plain);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(plain);
  if (isPlain(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/** The documents of a YAML file (Kubernetes decodes YAML 1.1), or undefined when it does not parse. */
export function parseYaml(text: string): unknown[] | undefined {
  const documents = parseAllDocuments(text, { version: '1.1', prettyErrors: false });
  if (!Array.isArray(documents)) return undefined;
  if (documents.some((d) => d.errors.length > 0)) return undefined;
  return documents.map((d) => plain(d.toJS({ maxAliasCount: -1 }))).filter((d) => d !== null && d !== undefined);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const baseName = (file: string) => (file.split('/').pop() ?? file).replace(/\.[^.]+$/, '');
/** The path inside the environment's folder: `prometheus/prometheus.yml`. */
const local = (file: string) => (file.includes('/') ? file.slice(file.indexOf('/') + 1) : file);

/** Unique ids: a second `x` becomes `x#2`. */
function unique(units: Unit[]): Unit[] {
  const seen = new Map<string, number>();
  return units.map((unit) => {
    const count = (seen.get(unit.id) ?? 0) + 1;
    seen.set(unit.id, count);
    return count === 1 ? unit : { ...unit, id: `${unit.id}#${count}`, name: `${unit.name} #${count}` };
  });
}

const SECRET_PLACES: Readonly<Record<string, SensitivePlace>> = {
  Secret: (s) => s[0] === 'data' || s[0] === 'stringData',
  ExternalSecret: (s) => s[0] === 'spec' && (s[1] === 'data' || s[1] === 'dataFrom' || (s[1] === 'target' && s[2] === 'template')),
  ClusterExternalSecret: (s) => s[0] === 'spec' && s[1] === 'externalSecretSpec',
  SealedSecret: (s) => s[0] === 'spec' && (s[1] === 'encryptedData' || s[1] === 'template'),
};

function kubernetesUnits(file: string, text: string): Unit[] | undefined {
  const documents = parseYaml(text);
  if (!documents || !documents.every((d) => isPlain(d) && typeof d.kind === 'string')) return undefined;
  return (documents as Plain[]).map((object) => {
    const kind = String(object.kind);
    const metadata = isPlain(object.metadata) ? object.metadata : {};
    const name = typeof metadata.name === 'string' ? metadata.name : '';
    const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : '';
    const sensitive = SECRET_PLACES[kind];
    return {
      id: `${String(object.apiVersion ?? '')}/${kind}/${namespace}/${name}`,
      name: `${kind} ${namespace ? `${namespace}/` : ''}${name}`,
      type: kind,
      file,
      value: object,
      ident: name,
      options: { keyValueText: true, ...(sensitive && { sensitive }) },
    };
  });
}

function ruleUnits(file: string, text: string): Unit[] | undefined {
  const [document] = parseYaml(text) ?? [];
  if (!isPlain(document) || !Array.isArray(document.groups) || !document.groups.every(isPlain)) return undefined;
  const units: Unit[] = [];
  for (const group of document.groups as Plain[]) {
    const groupName = String(group.name ?? '');
    const { rules, ...settings } = group;
    units.push({ id: `${file}#group:${groupName}`, name: `rule group ${groupName}`, type: 'rule-group', file, value: settings, ident: groupName, options: {} });
    for (const rule of Array.isArray(rules) ? rules : []) {
      if (!isPlain(rule)) continue;
      const labels = isPlain(rule.labels) ? rule.labels : {};
      const value = { group: groupName, ...rule };
      if (typeof rule.alert === 'string') {
        const severity = typeof labels.severity === 'string' ? labels.severity : '';
        units.push({ id: `${file}#alert:${rule.alert}:${severity}`, name: `alert ${rule.alert}${severity ? ` (${severity})` : ''}`, type: 'alert', file, value, ident: rule.alert, options: {} });
      } else {
        const record = String(rule.record ?? '');
        const selector = Object.entries(labels)
          .map(([k, v]) => `${k}="${String(v)}"`)
          .join(',');
        const label = selector ? `${record}{${selector}}` : record;
        units.push({ id: `${file}#record:${label}`, name: `record ${label}`, type: 'record', file, value, ident: record, options: {} });
      }
    }
  }
  return units;
}

function composeUnits(file: string, text: string): Unit[] | undefined {
  const [document] = parseYaml(text) ?? [];
  if (!isPlain(document)) return undefined;
  return Object.entries(document).flatMap(([key, section]): Unit[] => {
    if (key === 'services' && isPlain(section)) {
      return Object.entries(section).map(([service, value]) => ({ id: `${file}#service:${service}`, name: `service ${service}`, type: 'service', file, value, ident: service, options: { keyValueText: true } }));
    }
    return [{ id: `${file}#${key}`, name: key, type: `compose-${key}`, file, value: section, ident: key, options: { keyValueText: true } }];
  });
}

function dashboardUnit(file: string, text: string): Unit[] | undefined {
  const dashboard = parseJson(text);
  if (!isPlain(dashboard)) return undefined;
  const uid = typeof dashboard.uid === 'string' ? dashboard.uid : baseName(file);
  const title = typeof dashboard.title === 'string' ? `"${dashboard.title}" ` : '';
  return [{ id: `dashboard:${uid}`, name: `dashboard ${title}(${uid})`, type: 'dashboard', file, value: dashboard, ident: uid, options: {} }];
}

/** A Markdown file's `## ` sections by heading; what precedes the first is `(top)`. Headings inside code fences do not count. */
export function markdownSections(text: string): Record<string, string> {
  const sections: [string, string[]][] = [['(top)', []]];
  let fence: string | undefined;
  for (const line of text.split('\n')) {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === undefined || (marker[0] === fence[0] && marker.length >= fence.length))) fence = fence === undefined ? marker : undefined;
    const heading = fence === undefined ? /^## +(.+?)\s*#*\s*$/.exec(line)?.[1] : undefined;
    if (heading !== undefined) sections.push([`## ${heading}`, []]);
    else sections[sections.length - 1]?.[1].push(line);
  }
  const seen = new Map<string, number>();
  const result: Record<string, string> = {};
  for (const [heading, lines] of sections) {
    const count = (seen.get(heading) ?? 0) + 1;
    seen.set(heading, count);
    if (heading === '(top)' && lines.every((l) => l.trim() === '')) continue;
    result[count === 1 ? heading : `${heading} #${count}`] = `${lines.join('\n').replace(/^\n+|\n+$/g, '')}\n`;
  }
  return result;
}

/** Host profile files as key → value: sysctl.d `key = value`, limits.d `domain type item value`, systemd `[Section]` `Key=Value`. */
function hostUnit(file: string, text: string): Unit[] | undefined {
  const folder = file.split('/').slice(2, 3)[0] ?? '';
  const entries: [string, string][] = [];
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (folder === 'systemd' && /^\[.+\]$/.test(line)) {
      section = line.slice(1, -1);
      continue;
    }
    if (folder === 'limits.d') {
      const fields = line.split(/\s+/);
      if (fields.length !== 4) return undefined;
      entries.push([fields.slice(0, 3).join(' '), fields[3] ?? '']);
      continue;
    }
    const match = /^-?([^=\s][^=]*?)\s*=\s*(.*)$/.exec(line);
    if (!match) return undefined;
    entries.push([section ? `${section}.${match[1]}` : (match[1] ?? ''), match[2] ?? '']);
  }
  const keys = new Map<string, number>();
  const value: Record<string, string> = {};
  for (const [key, setting] of entries) {
    const count = (keys.get(key) ?? 0) + 1;
    keys.set(key, count);
    value[count === 1 ? key : `${key} #${count}`] = setting;
  }
  const type = folder === 'sysctl.d' ? 'sysctl' : folder === 'limits.d' ? 'limits' : folder === 'systemd' ? 'systemd' : 'host';
  return [{ id: file, name: local(file), type, file, value, ident: baseName(file), options: {} }];
}

function fileUnit(file: string, text: string): Unit {
  const structured = /\.ya?ml$/.test(file) ? parseYaml(text) : /\.json$/.test(file) ? [parseJson(text)].filter((d) => d !== undefined) : undefined;
  const value = structured === undefined || structured.length === 0 ? text : structured.length === 1 ? structured[0] : structured;
  return { id: file, name: local(file), type: 'file', file, value, ident: baseName(file), options: { keyValueText: true } };
}

/** The units of one file. Never throws: what does not parse is compared as text. */
export function unitsOf(file: string, text: string, kind: OutputKind): Unit[] {
  const inside = local(file);
  let units: Unit[] | undefined;
  if (kind === 'kubernetes' && /\.ya?ml$/.test(file)) units = kubernetesUnits(file, text);
  else if (kind === 'prometheus' && /^prometheus\/rules\/[^/]+\.ya?ml$/.test(inside)) units = ruleUnits(file, text);
  else if (kind === 'compose' && /^compose\/[^/]+\.ya?ml$/.test(inside)) units = composeUnits(file, text);
  else if (kind === 'grafana' && /^grafana\/dashboards\/[^/]+\.json$/.test(inside)) units = dashboardUnit(file, text);
  else if (kind === 'host' && /\.conf$/.test(file)) units = hostUnit(file, text);
  else if (/\.md$/.test(file)) {
    const runbook = kind === 'runbooks';
    units = [{ id: file, name: runbook ? `runbook ${inside.replace(/^runbooks\//, '')}` : inside, type: runbook ? 'runbook' : 'markdown', file, value: markdownSections(text), ident: baseName(file), options: {} }];
  }
  return unique(units ?? [fileUnit(file, text)]);
}
