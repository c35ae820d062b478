/** How an environment reaches its cluster: the repository Argo CD syncs generated/ from. */
import { z } from 'zod';

export const deliverySchema = z.strictObject({
  /** The git repository holding generated/, as Argo CD clones it (`https://…` or `git@…:org/repo.git`). */
  repository: z.string().min(1),
  /**
   * Branch, tag or commit Argo CD syncs.
   * @default 'main'
   */
  revision: z.string().min(1).default('main'),
  /**
   * Let Argo CD delete objects that left generated/.
   * @default true in development and staging, false in production (a person prunes)
   */
  prune: z.boolean().optional(),
});

export type DeliveryInput = z.input<typeof deliverySchema>;
export type Delivery = Readonly<z.output<typeof deliverySchema>>;
