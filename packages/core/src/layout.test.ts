import { describe, expect, it } from 'vitest';
import { environmentOf, isSynced } from './layout.js';

describe('layout', () => {
  it('names the environment of an environment file and of its generated folder, none for what several share', () => {
    expect(environmentOf('environments/shop-dev.ts')).toBe('shop-dev');
    expect(environmentOf('generated/shop-dev/compose/docker-compose.yml')).toBe('shop-dev');
    for (const file of ['environments/systems/shop.ts', 'environments/', 'generated/README.md', 'generated/kiln-manifest.json', 'generated/argocd/appproject-shop.yaml', 'package.json']) {
      expect(environmentOf(file), file).toBeUndefined();
    }
  });

  it('knows the files Argo CD syncs: directly in a kubernetes/ folder of an environment, or in argocd/', () => {
    expect(isSynced('shop-prod/kubernetes/deployment-api.yaml')).toBe(true);
    expect(isSynced('argocd/application-shop-prod.yaml')).toBe(true);
    for (const path of ['shop-prod/kubernetes/nested/x.yaml', 'shop-dev/compose/docker-compose.yml', 'argocd/nested/x.yaml', 'README.md']) {
      expect(isSynced(path), path).toBe(false);
    }
  });
});
