import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { configMap, deployment, externalSecret, files, secret, yamlFile } from './builders.js';
import { diffTrees } from './diff.js';
import { fingerprint, isCredentialName, maskText } from './mask.js';
import { renderJson } from './render-json.js';
import { renderMarkdown } from './render-markdown.js';
import { renderText } from './render-text.js';
import type { DiffReport } from './report.js';

const FINGERPRINT = /^\(sha256:[0-9a-f]{8}\)$/;
const base = { ref: 'HEAD', commit: '0123456789abcdef0123456789abcdef01234567' };
const everyFormat = (report: DiffReport) => [renderText(report, { base }), renderMarkdown(report, { base }), renderJson(report, base)];

describe('what looks like a credential', () => {
  it.each([
    ['password', true],
    ['DB_PASSWORD', true],
    ['apiKey', true],
    ['api_key', true],
    ['API_TOKEN', true],
    ['secretKeyRef', true],
    ['routing_key', true],
    ['clientSecret', true],
    ['privateKey', true],
    ['dbpassword', true],
    ['credentials', true],
    ['slack-webhook', true],
    ['replicas', false],
    ['image', false],
    ['name', false],
    ['app.kubernetes.io/name', false],
    ['monkey', false],
    ['keepalive', false],
    ['net.ipv4.tcp_keepalive_time', false],
  ])('%s → %s', (key, expected) => {
    expect(isCredentialName(key)).toBe(expected);
  });

  it('fingerprints by the first 8 hex digits of the SHA-256', () => {
    expect(fingerprint('hunter2')).toBe(`(sha256:${createHash('sha256').update('hunter2').digest('hex').slice(0, 8)})`);
    expect(fingerprint(42)).toBe(fingerprint('42'));
  });

  it('masks credential shapes wherever they are, and keeps what says what they are', () => {
    const text = [
      'url: postgres://shop:hunter2@db:5432/shop',
      'Authorization: Bearer abcdefghijklmnop',
      'hook https://hooks.slack.com/services/T000/B000/XXXXXXXX',
      'token ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      '-----BEGIN RSA PRIVATE KEY-----',
      'MIIEpAIBAAKCAQEA',
      '-----END RSA PRIVATE KEY-----',
      'after',
    ].join('\n');
    const masked = maskText(text);
    for (const secretPart of ['hunter2', 'abcdefghijklmnop', 'XXXXXXXX', 'ghp_abc', 'MIIEpAIBAAKCAQEA']) expect(masked).not.toContain(secretPart);
    expect(masked).toContain(`postgres://shop:${fingerprint('hunter2')}@db:5432/shop`);
    expect(masked).toContain(`Bearer ${fingerprint('abcdefghijklmnop')}`);
    expect(masked).toContain('https://hooks.slack.com/services/(sha256:');
    expect(masked.endsWith('\nafter')).toBe(true);
    expect(maskText(masked)).toBe(masked);
  });

  it('masks the values of credential-like keys in configuration text, not in prose', () => {
    const text = 'user = shop\npassword = hunter2\nexport API_TOKEN=abc123\nkey: |\n';
    expect(maskText(text, { keyValues: true })).toBe(`user = shop\npassword = ${fingerprint('hunter2')}\nexport API_TOKEN=${fingerprint('abc123')}\nkey: |\n`);
    expect(maskText('Password: reset it in the vault', { keyValues: false })).toBe('Password: reset it in the vault');
  });
});

describe('secret-like values in a diff', () => {
  const before = files({
    'shop/kubernetes/secret-db.yaml': yamlFile(secret('db', { password: 'hunter2', username: 'shop' })),
    'shop/kubernetes/deployment-api.yaml': yamlFile(deployment({ env: { LOG_LEVEL: 'info', API_TOKEN: 'tok-old-value', DB: { secret: 'db-v1' } } })),
    'shop/kubernetes/configmap-api.yaml': yamlFile(configMap('api', { 'app.toml': 'upstream = "https://shop:hunter2@payments.example.org"\nsigning_key = "sk-old-signing"\nlevel = 1\n' })),
    'shop/kubernetes/externalsecret-db.yaml': yamlFile(externalSecret('db', 'shop/db-v1')),
  });
  const after = files({
    'shop/kubernetes/secret-db.yaml': yamlFile(secret('db', { password: 's3cr3t-new', username: 'shop' })),
    'shop/kubernetes/deployment-api.yaml': yamlFile(deployment({ env: { LOG_LEVEL: 'info', API_TOKEN: 'tok-new-value', DB: { secret: 'db-v2' } } })),
    'shop/kubernetes/configmap-api.yaml': yamlFile(configMap('api', { 'app.toml': 'upstream = "https://shop:s3cr3t-new@payments.example.org"\nsigning_key = "sk-new-signing"\nlevel = 2\n' })),
    'shop/kubernetes/externalsecret-db.yaml': yamlFile(externalSecret('db', 'shop/db-v2')),
    'shop/kubernetes/secret-extra.yaml': yamlFile(secret('extra', { 'private.pem': 'added-private-value' })),
  });
  const report = diffTrees(before, after);
  const values = ['hunter2', 's3cr3t-new', 'tok-old-value', 'tok-new-value', 'sk-old-signing', 'sk-new-signing', 'added-private-value', 'shop/db-v1', 'shop/db-v2'];

  it('never prints a secret value, in any format', () => {
    for (const output of everyFormat(report)) for (const value of values) expect(output).not.toContain(value);
  });

  it('shows a Secret’s changed data as different fingerprints before and after', () => {
    const db = report.resources.find((r) => r.name === 'Secret shop/db');
    expect(db?.fields).toEqual([{ path: 'stringData.password', before: fingerprint('hunter2'), after: fingerprint('s3cr3t-new'), masked: true }]);
  });

  it('masks by key name in list items (env) and by place (ExternalSecret data), and leaves the rest readable', () => {
    const api = report.resources.find((r) => r.name === 'Deployment shop/api');
    const token = api?.fields.find((f) => f.path === 'spec.template.spec.containers[api].env[API_TOKEN].value');
    expect(token).toEqual({ path: 'spec.template.spec.containers[api].env[API_TOKEN].value', before: fingerprint('tok-old-value'), after: fingerprint('tok-new-value'), masked: true });
    const reference = api?.fields.find((f) => f.path === 'spec.template.spec.containers[api].env[DB].valueFrom.secretKeyRef.name');
    expect(reference).toMatchObject({ masked: true, before: expect.stringMatching(FINGERPRINT), after: expect.stringMatching(FINGERPRINT) });
    expect(reference?.before).not.toBe(reference?.after);
    const external = report.resources.find((r) => r.name === 'ExternalSecret shop/db');
    expect(external?.fields).toEqual([{ path: 'spec.data[value].remoteRef.key', before: fingerprint('shop/db-v1'), after: fingerprint('shop/db-v2'), masked: true }]);
  });

  it('masks credentials inside configuration text and keeps the other lines', () => {
    const config = report.resources.find((r) => r.name === 'ConfigMap shop/api');
    expect(config?.fields).toEqual([
      {
        path: 'data[app.toml]',
        lines: [
          '@@ -1,3 +1,3 @@',
          `-upstream = "https://shop:${fingerprint('hunter2')}@payments.example.org"`,
          `-signing_key = ${fingerprint('"sk-old-signing"')}`,
          '-level = 1',
          `+upstream = "https://shop:${fingerprint('s3cr3t-new')}@payments.example.org"`,
          `+signing_key = ${fingerprint('"sk-new-signing"')}`,
          '+level = 2',
        ],
      },
    ]);
  });

  it('masks an added Secret’s data', () => {
    const extra = report.resources.find((r) => r.name === 'Secret shop/extra');
    expect(extra?.change).toBe('added');
    expect(extra?.fields.find((f) => f.path === 'stringData[private.pem]')).toEqual({ path: 'stringData[private.pem]', after: fingerprint('added-private-value'), masked: true });
    expect(extra?.fields.find((f) => f.path === 'metadata.name')).toEqual({ path: 'metadata.name', after: 'extra' });
  });

  it('masks a credential in a removed or added subtree, keeping the item’s name', () => {
    const r = diffTrees(files({ 'a/kubernetes/d.yaml': yamlFile(deployment({ env: {} })) }), files({ 'a/kubernetes/d.yaml': yamlFile(deployment({ env: { DB_PASSWORD: 'pw-in-subtree' } })) }));
    const added = r.resources[0]?.fields.find((f) => f.path === 'spec.template.spec.containers[api].env[DB_PASSWORD]');
    expect(added).toEqual({ path: 'spec.template.spec.containers[api].env[DB_PASSWORD]', after: `{"name":"DB_PASSWORD","value":"${fingerprint('pw-in-subtree')}"}`, masked: true });
    for (const output of everyFormat(r)) expect(output).not.toContain('pw-in-subtree');
  });

  it('masks credential-named flags and one-line key=value text', () => {
    expect(maskText('--db-password=hunter7 --port=8080')).not.toContain('hunter7');
    expect(maskText('--db-password=hunter7 --port=8080')).toContain('--port=8080');
    expect(maskText('password=hunter8', { keyValues: true })).not.toContain('hunter8');
  });
});
