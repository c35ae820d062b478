import { describe, expect, it } from 'vitest';
import { detectSecret, detectSecretInFile, detectSecretsInArgs } from './secret-detector.js';
import { fingerprint, isSecretName } from './secret-patterns.js';

describe('names that say "credential"', () => {
  it.each([
    ['DB_PASSWORD', true],
    ['DB_PWD', true],
    ['SMTP_PASS', true],
    ['JWT_SECRET', true],
    ['API_KEY', true],
    ['SSH_KEY', true],
    ['GITHUB_TOKEN', true],
    ['AWS_CRED', true],
    ['PGPASSWORD', true],
    ['AWS_SECRET_ACCESS_KEY', true],
    ['SECRET_KEY_BASE', true],
    ['clientSecret', true],
    ['MAX_TOKENS', false],
    ['SECRETARY_EMAIL', false],
    ['DB_PASSWORD_FILE', false],
    ['TOKEN_TTL', false],
    ['SECRET_NAME', false],
    ['PUBLIC_KEY', false],
    ['AWS_ACCESS_KEY_ID', false],
    ['KEYCLOAK_URL', false],
    ['BYPASS_CACHE', false],
    ['password_encryption', false],
  ])('%s → %s', (name, expected) => {
    expect(isSecretName(name)).toBe(expected);
  });
});

describe('the secret detector', () => {
  it.each([
    ['postgres://shop:hunter2@db:5432/shop', 'a password in a URL'],
    ['jdbc:postgresql://db/shop --url redis://:hunter2@cache:6379/0', 'a password in a URL'],
    ['host=db user=shop password=hunter2 dbname=shop', 'a password in a connection string'],
    ["host=db password='two words'", 'a password in a connection string'],
    ['Server=db;Uid=shop;Pwd=hunter2;', 'a password in a connection string'],
    ['https://api.example.org/v1?access_token=abcdef123', 'a credential in a URL query'],
    ['--db-password=hunter2', 'a credential flag'],
    ['mysql --password hunter2 -h db', 'a credential flag'],
    ['--api-key=abc123', 'a credential flag'],
    ['mysql -uroot -phunter2', 'a password given as -p<password>'],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----', 'a PEM private key'],
    ['ghp_0123456789abcdefghijABCDEFGHIJ012345', 'a GitHub token'],
    ['github_pat_11ABCDEFG0123456789_abcdefghijklmnop', 'a GitHub token'],
    ['AKIAIOSFODNN7EXAMPLE', 'an AWS access key id'],
    ['ASIAIOSFODNN7EXAMPLE', 'an AWS access key id'],
    ['glpat-0123456789abcdefghij', 'a GitLab token'],
    ['xoxb-123456789012-abcdefghij', 'a Slack token'],
    ['xoxo-123456789012-abcdefghij', 'a Slack token'],
    ['sk_live_0123456789abcdef', 'a Stripe key'],
    ['rk_live_0123456789abcdef', 'a Stripe key'],
  ])('finds %j: %s, and never prints it', (value, what) => {
    const found = detectSecret(value);
    expect(found?.what).toContain(what);
    expect(found?.masked).toMatch(/\(sha256:[0-9a-f]{8}\)/);
    for (const secret of ['hunter2', 'two words', 'abcdef123', 'abc123', 'MIIEpAIBAAKCAQEA', '0123456789abcdef', 'IOSFODNN7']) expect(found?.masked).not.toContain(secret);
  });

  it('finds any value under a credential-like name, numbers too, and masks it whole', () => {
    expect(detectSecret(123456, 'DB_PWD')).toEqual({ what: 'a credential, by its name', masked: fingerprint('123456') });
    expect(detectSecret('x', 'SMTP_PASS')?.masked).toBe(fingerprint('x'));
    expect(detectSecret(true, 'USE_PASSWORD')).toBeUndefined();
  });

  it.each([
    ['an ordinary value', 'LOG_LEVEL', 'info'],
    ['an empty value', 'DB_PASSWORD', ''],
    ['a reference', 'DB_PASSWORD', '$(DB_PASSWORD_FROM_SECRET)'],
    ['a URL built from a reference', 'DATABASE_URL', 'postgres://shop:$(DB_PASSWORD)@db/shop'],
    ['a Compose interpolation', 'DATABASE_URL', 'postgres://shop:${DB_PASSWORD:?unset}@db/shop'],
    ['a file path', 'TLS_KEY', '/etc/tls/key.pem'],
    ['a URL without a password', 'UPSTREAM', 'https://shop@db.example.org/x'],
    ['a port flag', 'ARGS', 'docker run -p8080:80 -print'],
    ['a token count', 'MAX_TOKENS', '4096'],
    ['a flag about a credential', 'ARGS', '--token-file=/run/token --secret-name=db'],
    ['an AWS documentation-like word', 'NOTE', 'AKIA is how access key ids start'],
  ])('lets %s through', (_what, name, value) => {
    expect(detectSecret(value, name)).toBeUndefined();
  });

  it('finds the value after a credential flag given alone', () => {
    expect(detectSecretsInArgs(['mysql', '--password', 'hunter2', '--port', '3306', '--token', '$(TOKEN)', '-v'])).toEqual([
      { index: 2, finding: { what: "the value of the credential flag '--password'", masked: fingerprint('hunter2') } },
    ]);
    expect(detectSecretsInArgs(['--url=postgres://u:p4ss@db/x'])[0]?.index).toBe(0);
  });

  it('reads configuration files line by line and says which line', () => {
    const file = 'listen = 8080\nuser = shop\npassword = "hunter2"\npassword_file = /run/secrets/db\n';
    expect(detectSecretInFile(file)).toEqual({ what: "a value under the credential-like key 'password'", masked: `password = ${fingerprint('"hunter2"')}`, line: 3 });
    expect(detectSecretInFile('upstream:\n  url: https://svc:s3cret@payments.example.org\n')).toMatchObject({ what: 'a password in a URL', line: 2 });
    expect(detectSecretInFile('password: ${DB_PASSWORD}\ntoken: ""\nkey: |\n')).toBeUndefined();
  });

  it('stays linear on long hostile values (a quadratic pattern takes seconds on these)', () => {
    const started = performance.now();
    for (const text of ['a-'.repeat(50_000), '-'.repeat(100_000), `--${'a'.repeat(100_000)}`, 'a.'.repeat(50_000), `a:${' '.repeat(50_000)}x`, `&${'a'.repeat(100_000)}`, `?${'key'.repeat(30_000)}`]) {
      detectSecret(text);
      detectSecretInFile(text);
    }
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
