import { describe, expect, it } from 'vitest';
import { hostReferences, isOwnAddress } from './host-references.js';

describe('hostReferences', () => {
  it('reads the host and port of URLs, credentials and variable references around them included', () => {
    expect(hostReferences('http://jaeger:14268/api/traces')).toEqual([{ host: 'jaeger', port: 14268 }]);
    expect(hostReferences('postgres://shop:$(DB_PASSWORD)@db/shop')).toEqual([{ host: 'db' }]);
    expect(hostReferences('jdbc:postgresql://PG.Example.org.:5432/x')).toEqual([{ host: 'pg.example.org', port: 5432 }]);
    expect(hostReferences('http://[::1]:8080/metrics')).toEqual([{ host: '::1', port: 8080 }]);
  });

  it('reads every host of a list of URLs and of a multi-host URL', () => {
    expect(hostReferences('https://veza.live,https://app.veza.live')).toEqual([{ host: 'veza.live' }, { host: 'app.veza.live' }]);
    expect(hostReferences('postgresql://h1:5432,h2:5433/db?target_session_attrs=read-write')).toEqual([
      { host: 'h1', port: 5432 },
      { host: 'h2', port: 5433 },
    ]);
  });

  it('reads host:port lists (peer lists, seed nodes) and keyword DSNs', () => {
    expect(hostReferences('1,kv-1.kv-headless.shop.svc:9331;2,kv-2:9331')).toEqual([
      { host: 'kv-1.kv-headless.shop.svc', port: 9331 },
      { host: 'kv-2', port: 9331 },
    ]);
    expect(hostReferences('--seed=10.0.0.7:7946')).toEqual([{ host: '10.0.0.7', port: 7946 }]);
    expect(hostReferences('host=db port=5432 dbname=shop')).toEqual([{ host: 'db' }]);
    expect(hostReferences("Host='a,b';Port=5432")).toEqual([{ host: 'a' }, { host: 'b' }]);
  });

  it('finds no host in image references, versions, times, paths, flags or variable references', () => {
    for (const text of [
      'ghcr.io/acme/api:1.4.2',
      'postgres:16.4',
      '10:30:00',
      '-javaagent:/opt/jmx_prometheus_javaagent.jar=9404:/etc/jmx.yaml',
      '--rpc-http-host=0.0.0.0',
      'metrics-host="0.0.0.0"',
      '-XX:+UseZGC -Xms4g',
      'file:///etc/app.conf',
      'http://$(API_HOST):80',
      '${API_HOST}:80',
      'redis',
    ]) {
      expect(hostReferences(text), text).toEqual([]);
    }
  });

  it('knows loopback and listen-everywhere addresses', () => {
    expect(['localhost', '127.0.0.1', '::1', '0.0.0.0', '::'].every(isOwnAddress)).toBe(true);
    expect(isOwnAddress('10.0.0.1')).toBe(false);
  });
});
