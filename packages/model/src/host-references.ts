/**
 * The hosts a value names: in a URL (`redis://redis:6379`, `jdbc:postgresql://db/shop`, several
 * hosts of a libpq URL), as `host:port` (`rpcnet-director:7946`, `1,kv-1:9331;2,kv-2:9331`), or in a
 * keyword DSN (`host=db port=5432`). URLs and DSNs are found with the secret detector's own
 * fragments (secret-patterns.ts), so both read a connection string alike.
 *
 * A bare name without a port (`REDIS_HOST=redis`) is no reference: nothing tells it from a word.
 * Variable references (`$(DB_HOST)`, `${DB_HOST}`) are left alone; Kiln cannot know their value.
 */
import { isIP } from 'node:net';
import { DSN_VALUE, URL_SCHEME } from './secret-patterns.js';

export interface HostReference {
  /** Lower case, without a trailing dot or IPv6 brackets. */
  readonly host: string;
  /** The port, where the value gives one. */
  readonly port?: number;
}

/** A URL's authority: optional user information, then its first host and port (the rest of a `h1,h2` list is read as `host:port`). */
const URL_HOST = new RegExp(String.raw`${URL_SCHEME}(?:[^\s/?#@'"\`]*@)?([^\s/?#@'"\`,;]*)`, 'gi');

/** `host:port` standing alone: not inside a word, a path, a version (`postgres:16.4`) or a time (`10:30:00`). */
const HOST_PORT = /(?<![\w.@/:$%{}[\]-])([a-z0-9](?:[a-z0-9.-]*[a-z0-9])?|\[[0-9a-f:.]+\]):(\d{1,5})(?![\w.:-])/gi;

/** libpq's `host=` and `hostaddr=` (also Npgsql's `Host=`), each possibly a comma-separated list. */
const DSN_HOST = new RegExp(String.raw`(?<![\w.-])(?:host|hostaddr)\s*=\s*(${DSN_VALUE})`, 'gi');

const HOST_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** Every host a text names, in the order found; URLs first, then what is left. */
export function hostReferences(text: string): HostReference[] {
  const found: HostReference[] = [];
  // What a URL or DSN matched is blanked out, so that `host:port` does not read it twice.
  let rest = text.replace(URL_HOST, (match, authority: string) => {
    const parsed = /^\[([^\]]+)\](?::(\d*))?$/.exec(authority) ?? /^([^:]*)(?::(\d*))?$/.exec(authority);
    if (parsed) add(found, parsed[1] ?? '', parsed[2]);
    return ' '.repeat(match.length);
  });
  rest = rest.replace(DSN_HOST, (match, value: string) => {
    for (const host of value.replace(/^'|'$/g, '').split(',')) add(found, host, undefined);
    return ' '.repeat(match.length);
  });
  for (const match of rest.matchAll(HOST_PORT)) add(found, (match[1] ?? '').replace(/^\[|\]$/g, ''), match[2]);
  return found;
}

function add(found: HostReference[], raw: string, port: string | undefined): void {
  const host = raw.toLowerCase().replace(/\.$/, '');
  if (!isIP(host) && !HOST_NAME.test(host)) return;
  found.push({ host, ...(port ? { port: Number(port) } : {}) });
}

/** The container itself (loopback) or every address of it (a listen address): nothing to resolve. */
export function isOwnAddress(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || host === '::' || host === '0.0.0.0' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
