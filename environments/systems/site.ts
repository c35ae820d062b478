/**
 * Where this organisation publishes what Kiln generates: alerts link their runbooks and dashboard
 * panels with these addresses. The seeds name none, so these are placeholders to replace with the
 * repository's web address (and branch) and the Grafana each environment uses.
 */
export const RUNBOOKS = 'https://git.example.org/platform/deploy/blob/main/generated';

/** The repository Argo CD syncs generated/ from. */
export const DELIVERY = { repository: 'https://git.example.org/platform/deploy.git', revision: 'main' } as const;

/** The Grafana of a stage's clusters and hosts. */
export function grafana(stage: 'staging' | 'production' | 'development'): { url: string; version: string } {
  return { url: `https://grafana.${stage}.example.org`, version: '11.6' };
}
