/** rpcnet production, EU West: one of the seed's two regions. */
import { defineEnvironment } from '@kiln/model';
import { rpcnetProduction } from './systems/rpcnet.js';

export default defineEnvironment(rpcnetProduction({ name: 'rpcnet-eu-west', region: 'eu-west-1', cluster: 'prod-eu-west' }));
