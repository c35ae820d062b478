import { describe, expect, it } from 'vitest';
import { resolveEnvironment } from './resolve.js';

const sources = { environment: 'environments/e.ts', system: () => 'environments/systems/s.ts' };
const api = { name: 'api', image: 'acme/api:1.4.2', ports: [{ name: 'http', port: 8080 }] };
/** An environment of one system, its services and top-level fields replaced as a test needs: deliberately untyped input. */
const input = (services: unknown[] = [api], fields: Record<string, unknown> = {}) => ({
  name: 'e',
  stage: 'production',
  systems: [{ name: 's', services }],
  targets: { compose: {} },
  ...fields,
});
const issues = (value: unknown) => resolveEnvironment(value, sources).issues.map(({ code, path, message, hint }) => ({ code, path: path.join('.'), message, hint }));

describe('schema issues', () => {
  it('say what was found and what is expected, never that a present field is missing', () => {
    expect(issues(input([api], { systems: 'veza' }))).toEqual([
      { code: 'WRONG_TYPE', path: 'systems', message: "found the string 'veza', expected an array of systems", hint: "write 'systems' as a list: [ … ]" },
    ]);
    expect(issues(input([{ ...api, replicas: '3' }]))).toEqual([
      { code: 'WRONG_TYPE', path: 'systems.0.services.0.replicas', message: "found the string '3', expected a number", hint: 'write 3, without quotes' },
    ]);
    expect(issues(input([{ name: 'api' }]))).toEqual([{ code: 'WRONG_TYPE', path: 'systems.0.services.0.image', message: 'required field is missing', hint: "add 'image' (a string)" }]);
  });

  it('say an import that gave nothing is undefined', () => {
    const [issue] = issues(input([api], { systems: [undefined] }));
    expect(issue).toMatchObject({ code: 'WRONG_TYPE', path: 'systems.0', message: 'found undefined, expected an object' });
    expect(issue?.hint).toContain('check the import');
  });

  it('name null, NaN and Infinity in environment values, and what a value may be', () => {
    const found = issues(input([{ ...api, env: { A: null, B: Number.NaN, C: Number.POSITIVE_INFINITY } }]));
    expect(found.map((i) => [i.path, i.message.split(',')[0]])).toEqual([
      ['systems.0.services.0.env.A', 'found null'],
      ['systems.0.services.0.env.B', 'found NaN'],
      ['systems.0.services.0.env.C', 'found Infinity'],
    ]);
    for (const issue of found) expect(issue.message).toContain("expected a string, a finite number, a boolean, secret('…')");
    expect(found.map((i) => i.hint)).toEqual([
      "give 'A' a value, or leave it out",
      expect.stringContaining('NaN is what arithmetic on something that is no number gives'),
      expect.stringContaining('Infinity is what a division by zero'),
    ]);
  });

  it('report the issues of the alternative a value was meant as', () => {
    expect(issues(input([{ ...api, env: { A: { plain: true, reason: 'r' } } }]))).toMatchObject([{ path: 'systems.0.services.0.env.A.plain', message: 'found true, expected a string or a number' }]);
  });

  it('suggest the closest field for an unknown one, anywhere in the input', () => {
    expect(issues(input([{ ...api, replica: 3 }]))).toEqual([
      { code: 'UNKNOWN_FIELD', path: 'systems.0.services.0.replica', message: "unknown field 'replica'", hint: "did you mean 'replicas'? If not, remove it" },
    ]);
    expect(issues(input([api], { stagee: 'production' })).map((i) => i.hint)).toEqual(["did you mean 'stage'? If not, remove it"]);
    expect(issues(input([api], { targets: { compose: {}, kubernetes: { cluster: 'c', version: '1.31', secretStore: { name: 'vault' }, namespce: 'n' } } })).map((i) => i.hint)).toEqual(["did you mean 'namespace'? If not, remove it"]);
    expect(issues(input([{ ...api, env: { A: { secret: 'a', kye: 'b' } } }])).map((i) => i.hint)).toEqual(["did you mean 'key'? If not, remove it"]);
    expect(issues(input([{ ...api, zzzzzz: 1 }])).map((i) => i.hint)).toEqual(['remove it, or check its spelling against `npx kiln schema`']);
    expect(issues(input([api], { stage: 'prodution' }))).toEqual([
      { code: 'INVALID_VALUE', path: 'stage', message: 'found the string \'prodution\', expected one of: "development", "staging", "production"', hint: 'did you mean \'production\'? Use one of: "development", "staging", "production"' },
    ]);
  });

  it('say what a valid image tag is, never a regular expression', () => {
    const tag = issues(input([api], { images: { api: '-rc1' } }));
    expect(tag).toEqual([
      { code: 'INVALID_IMAGE', path: 'images.api', message: "'-rc1' is not an image tag: a tag is up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'", hint: "write a tag such as '1.4.2'" },
    ]);
    const reference = issues(input([{ ...api, image: 'acme/api:.1' }]));
    expect(reference[0]?.message).toBe("'acme/api:.1' is not an image reference: the tag '.1' is not valid: a tag is up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'");
    // A pattern without a message of its own is not shown either.
    const label = issues(input([api], { labels: { team: '-x' } }));
    expect(label).toHaveLength(1);
    for (const issue of [...tag, ...reference, ...label]) expect(issue.message).not.toMatch(/\/\^|\$\/|\[A-Z/);
  });
});

describe('rules over the parts that parsed', () => {
  it('run on every service that passes its schema, when another part of the input fails it', () => {
    const worker = { name: 'worker', image: 'acme/worker:1.0.0', resources: { requests: { memory: '1Gi' }, limits: { memory: '512Mi' } }, env: { DB_PASSWORD: 'hunter2hunter2' } };
    const found = issues(input([{ ...api, replicas: '3' }, worker], { targets: { compose: {}, kubernetes: 3 } }));
    expect(found.map((i) => [i.code, i.path])).toEqual([
      ['WRONG_TYPE', 'systems.0.services.0.replicas'],
      ['WRONG_TYPE', 'targets.kubernetes'],
      ['LIMIT_BELOW_REQUEST', 'systems.0.services.1.resources.limits.memory'],
      ['SECRET_AS_PLAIN_VALUE', 'systems.0.services.1.env.DB_PASSWORD'],
    ]);
  });

  it('never fail on input of any shape', () => {
    for (const value of [null, 3, 'x', [], { systems: 'x' }, { systems: [null, 3, { services: [null, 1, 'x', { name: 7 }] }] }]) {
      expect(resolveEnvironment(value, sources).issues.length).toBeGreaterThan(0);
    }
  });
});
