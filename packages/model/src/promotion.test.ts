import { describe, expect, it } from 'vitest';
import type { EnvironmentInput } from './environment.js';
import { checkFollows, sharedImages } from './promotion.js';
import { resolveEnvironment } from './resolve.js';
import type { Environment } from './model.js';

const system = (name: string) => ({ name, services: [{ name: 'api', image: 'acme/api:1.0.0' }, { name: 'web', image: 'acme/web:1.0.0' }] });
function environment(name: string, stage: EnvironmentInput['stage'], extra: Partial<EnvironmentInput> = {}): Environment {
  const { environment, issues } = resolveEnvironment(
    { name, stage, systems: [system('shop')], targets: { compose: {} }, ...extra },
    { environment: `environments/${name}.ts`, system: () => 'environments/systems/shop.ts' },
  );
  expect(issues).toEqual([]);
  return environment as Environment;
}
const codes = (environments: Environment[], names = environments.map((e) => e.name)) => checkFollows(environments, names).map((d) => [d.file, d.message]);

describe('checkFollows', () => {
  it('accepts a chain from development to production', () => {
    expect(codes([environment('dev', 'development'), environment('staging', 'staging', { follows: 'dev' }), environment('prod', 'production', { follows: 'staging' })])).toEqual([]);
  });

  it('names the environment and what is wrong with its upstream', () => {
    expect(codes([environment('prod', 'production', { follows: 'stagign' }), environment('staging', 'staging')])).toEqual([['environments/prod.ts', "there is no environment 'stagign' to follow"]]);
    expect(codes([environment('prod', 'production', { follows: 'prod' })])).toEqual([['environments/prod.ts', "'prod' follows itself"]]);
    expect(codes([environment('prod', 'production'), environment('staging', 'staging', { follows: 'prod' })])).toEqual([['environments/staging.ts', "'staging' (staging) follows 'prod', a later stage (production)"]]);
    const loop = codes([environment('a', 'staging', { follows: 'b' }), environment('b', 'staging', { follows: 'a' })]);
    expect(loop.map(([file]) => file)).toEqual(['environments/a.ts', 'environments/b.ts']);
    const other = resolveEnvironment({ name: 'ops', stage: 'staging', systems: [system('ops')], targets: { compose: {} } }, { environment: 'environments/ops.ts', system: () => 'x' }).environment as Environment;
    expect(codes([environment('prod', 'production', { follows: 'ops' }), other])).toEqual([['environments/prod.ts', "'prod' and 'ops' run no system in common: there is nothing to promote"]]);
  });

  it('does not repeat the errors of an upstream that did not resolve', () => {
    expect(codes([environment('prod', 'production', { follows: 'staging' })], ['prod', 'staging'])).toEqual([]);
  });
});

describe('sharedImages', () => {
  it('pairs the services of one system by name, with both images', () => {
    const staging = environment('staging', 'staging', { images: { api: '1.1.0' } });
    const prod = environment('prod', 'production', { follows: 'staging' });
    expect(sharedImages(staging, prod)).toEqual([
      { system: 'shop', service: 'api', upstream: 'acme/api:1.1.0', current: 'acme/api:1.0.0' },
      { system: 'shop', service: 'web', upstream: 'acme/web:1.0.0', current: 'acme/web:1.0.0' },
    ]);
  });
});
