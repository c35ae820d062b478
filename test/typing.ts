/**
 * Type-level tests, checked by `tsc` in the typecheck task: each `@ts-expect-error` fails the build
 * if the mistake under it stops being a type error.
 */
import { defineEnvironment, defineSystem } from '@kiln/model';

const shop = defineSystem({
  name: 'shop',
  services: [
    { name: 'api', image: 'acme/api:1.4.2', ports: [{ name: 'http', port: 8080 }] },
    { name: 'web', image: 'acme/web:2.0.1' },
  ],
});

export const valid = defineEnvironment({
  name: 'shop-dev',
  stage: 'development',
  systems: [shop],
  targets: { compose: {} },
  images: { web: '2.0.2' },
  overrides: { api: { replicas: 2 } },
});

export const misspelledService = defineEnvironment({
  name: 'shop-dev',
  stage: 'development',
  systems: [shop],
  targets: { compose: {} },
  // @ts-expect-error: there is no service 'apii'
  overrides: { apii: { replicas: 2 } },
});

export const misspelledImage = defineEnvironment({
  name: 'shop-dev',
  stage: 'development',
  systems: [shop],
  targets: { compose: {} },
  // @ts-expect-error: there is no service 'wbe'
  images: { wbe: '2.0.2' },
});

export const unknownOverrideField = defineEnvironment({
  name: 'shop-dev',
  stage: 'development',
  systems: [shop],
  targets: { compose: {} },
  // @ts-expect-error: 'replica' is no override field
  overrides: { api: { replica: 2 } },
});

export const wrongStage = defineEnvironment({
  name: 'shop-dev',
  // @ts-expect-error: stages are development, staging and production
  stage: 'prod',
  systems: [shop],
  targets: { compose: {} },
});
